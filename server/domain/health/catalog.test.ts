import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EVENT_CODES, NOTICE_CODES } from "./incident-store";
import { REASON_CODES } from "./rules";

/** Every code the health rules, the incident timeline and the notices emit has an en and a zh-CN text. */
const load = (locale: string) =>
  JSON.parse(fs.readFileSync(path.join(process.cwd(), "i18n/messages", locale, "health.json"), "utf8")) as Record<string, Record<string, unknown>>;
const leaves = (o: unknown, prefix = ""): string[] =>
  o && typeof o === "object" ? Object.entries(o).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k)) : [prefix];

describe("health texts", () => {
  for (const locale of ["en", "zh"]) {
    const m = load(locale);
    it(`${locale}: every reason, event and notice code has a text`, () => {
      const missing = [
        ...REASON_CODES.filter((c) => typeof m.reasons?.[c] !== "string").map((c) => `reasons.${c}`),
        ...EVENT_CODES.filter((c) => typeof m.events?.[c] !== "string").map((c) => `events.${c}`),
        ...NOTICE_CODES.filter(
          (c) =>
            typeof (m.notices?.[c] as Record<string, unknown> | undefined)?.title !== "string" ||
            typeof (m.notices?.[c] as Record<string, unknown> | undefined)?.body !== "string",
        ).map((c) => `notices.${c}`),
        ...["VIP", "PROXY", "MASTER", "NODES"].filter((v) => typeof m.via?.[v] !== "string").map((v) => `via.${v}`),
        ...["MASTER", "REPLICA", "PROXY", "CACHE", "SENTINEL"].filter((r) => typeof m.instance?.[r] !== "string").map((r) => `instance.${r}`),
      ];
      expect(missing).toEqual([]);
    });
  }
  it("en and zh have the same keys", () => {
    expect(leaves(load("zh")).sort()).toEqual(leaves(load("en")).sort());
  });
});
