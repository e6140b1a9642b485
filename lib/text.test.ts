import fs from "node:fs";
import path from "node:path";
import { IntlMessageFormat } from "intl-messageformat";
import { describe, expect, it } from "vitest";
import { renderIn, serverTranslator } from "../i18n/load";
import { REQUEST_STATES } from "../server/domain/provisioning/states";
import { REJECTION_REASONS } from "../server/domain/scheduler/types";
import { TEXT_AREAS, text } from "./text";

/**
 * The catalogue of server texts is the English message files of TEXT_AREAS (a code outside them
 * does not compile); here every one of its codes must have a zh-CN text too, parse as ICU, and
 * name no parameter the English does not pass.
 */
const load = (locale: string, area: string) =>
  JSON.parse(fs.readFileSync(path.join(process.cwd(), "i18n/messages", locale, `${area}.json`), "utf8")) as unknown;
const leaves = (o: unknown, prefix: string): [string, string][] =>
  o && typeof o === "object" ? Object.entries(o).flatMap(([k, v]) => leaves(v, `${prefix}.${k}`)) : [[prefix, String(o)]];

/** The argument names a message reads, plural/select included. */
function argumentsOf(message: string, locale: string): string[] {
  const names = new Set<string>();
  const walk = (els: unknown[]) => {
    for (const e of els as { type: number; value?: string; options?: Record<string, { value: unknown[] }> }[]) {
      if (e.value && e.type !== 0 && e.type !== 7) names.add(e.value);
      for (const o of Object.values(e.options ?? {})) walk(o.value);
    }
  };
  walk(new IntlMessageFormat(message, locale).getAst() as unknown[]);
  return [...names].sort();
}

describe("the text catalogue", () => {
  for (const area of TEXT_AREAS) {
    const en = new Map(leaves(load("en", area), area));
    const zh = new Map(leaves(load("zh", area), area));
    it(`${area}: every code has an English and a Chinese text`, () => {
      expect([...en.keys()].filter((k) => !zh.has(k))).toEqual([]);
      expect([...zh.keys()].filter((k) => !en.has(k))).toEqual([]);
    });
    it(`${area}: both parse, and the Chinese reads only what the English is given`, () => {
      const wrong = [...en].flatMap(([code, message]) => {
        const enArgs = argumentsOf(message, "en");
        const zhArgs = argumentsOf(zh.get(code) ?? "", "zh-CN");
        return zhArgs.every((a) => enArgs.includes(a)) ? [] : [`${code}: zh reads ${zhArgs.join(",")}, en ${enArgs.join(",")}`];
      });
      expect(wrong).toEqual([]);
    });
  }

  it("every code written in the source as a plain string (a zod message, a notice) is in the catalogue", () => {
    const known = new Set(TEXT_AREAS.flatMap((area) => leaves(load("en", area), area).map(([k]) => k)));
    const isKnown = (code: string) => known.has(code) || (known.has(`${code}.title`) && known.has(`${code}.body`));
    const files = ["server", "lib", "components", "app"].flatMap((dir) =>
      (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f)).map((f) => path.join(dir, f)),
    );
    const pattern = new RegExp(`["'\`]((?:${TEXT_AREAS.join("|")})\\.[A-Za-z0-9_.]*[A-Za-z0-9_])["'\`]`, "g");
    const unknown = files.flatMap((f) =>
      [...fs.readFileSync(f, "utf8").matchAll(pattern)]
        .map((m) => m[1]!)
        .filter((c) => !isKnown(c))
        .map((c) => `${f}: ${c}`),
    );
    expect(files.length).toBeGreaterThan(100);
    expect(unknown).toEqual([]);
  });

  it("codes built from an enum (a scheduler rejection, a request state) exist for every value, in both languages", () => {
    const codes = [...REJECTION_REASONS.map((r) => `refusals.scheduler.reasons.${r}`), ...REQUEST_STATES.map((s) => `refusals.requests.state.${s}`)];
    for (const locale of ["en", "zh"] as const) expect(codes.filter((c) => !serverTranslator(locale).has(c))).toEqual([]);
  });

  it("renders a code with nested texts in either language, and an old plain string as it is", () => {
    const failed = text("jobs.log.stepFailed", { step: text("jobs.steps.provision.startProcesses"), why: "connection refused" });
    expect(renderIn("en", failed)).toBe("✖ Start processes: connection refused");
    expect(renderIn("zh", failed)).toBe("✖ 启动进程：connection refused");
    expect(renderIn("zh", "▶ Start processes")).toBe("▶ Start processes");
  });
});
