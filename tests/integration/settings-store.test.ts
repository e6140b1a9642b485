import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import superjson from "superjson";
import { beforeAll, describe, expect, it } from "vitest";
import { appRouter, createCaller } from "../../server/api/root";
import type { Locale } from "../../i18n/locales";
import { createContext } from "../../server/api/trpc";
import type { Db } from "../../server/db/client";
import type { Actor } from "../../server/domain/access/actor";
import { DEFAULT_THRESHOLDS } from "../../server/domain/health/thresholds";
import { DEFAULT_MONITORING_SETTINGS } from "../../server/domain/monitoring/settings";
import { freshDatabase, makeActor } from "./db";

let db: Db;
let dba: Actor;
const api = () => createCaller(createContext(dba.id, db));

beforeAll(async () => {
  ({ db } = await freshDatabase());
  dba = await makeActor(db, "DBA");
});

/** The call as the browser makes it, so the error formatter's answer is what is checked. */
async function overHttp(path: string, input: unknown, locale: Locale = "en") {
  const req = new Request(`http://hedwig.test/api/trpc/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(superjson.serialize(input)),
  });
  const res = await fetchRequestHandler({ endpoint: "/api/trpc", req, router: appRouter, createContext: () => createContext(dba.id, db, { locale }) });
  type Answer = { error?: { json: { message: string; data: { zodError: unknown; details: unknown; text: unknown; issues: unknown } } } };
  return { status: res.status, body: (await res.json()) as Answer };
}

describe("the settings store", () => {
  it("merges a partial save: the fields left out keep their saved values", async () => {
    await api().monitoring.saveSettings({ intervalSec: 20 });
    await api().monitoring.saveSettings({ rawRetentionDays: 5 });
    expect((await api().monitoring.settings()).monitoring).toEqual({ ...DEFAULT_MONITORING_SETTINGS, intervalSec: 20, rawRetentionDays: 5 });
    // a group (the scheduler's weights) is merged member by member
    await api().scheduler.saveSettings({ weights: { balanced: 0.5 } });
    await api().scheduler.saveSettings({ weights: { preferredIdc: 3 }, rackSpreadFromImportance: 5 });
    const s = await api().scheduler.settings();
    expect(s.weights).toEqual({ leastAllocated: 1, mostAllocated: 1, balanced: 0.5, preferredIdc: 3 });
    expect(s.rackSpreadFromImportance).toBe(5);
  });

  it("lands every one of concurrent saves of different fields", async () => {
    const changes = [
      { memoryAmberPct: 70 },
      { replLagAmberSec: 5 },
      { hitRatioMinPct: 60 },
      { proxyTimeoutsRed: 50 },
      { redisMustNotEvict: false },
      { latencyP99AmberUs: 5_000 },
    ];
    await Promise.all(changes.map((c) => api().monitoring.saveThresholds(c)));
    expect((await api().monitoring.settings()).thresholds).toEqual({ ...DEFAULT_THRESHOLDS, ...Object.assign({}, ...changes) });
    expect(await db.auditEntry.count({ where: { action: "settings.health" } })).toBe(changes.length);
  });

  it("refuses out of bounds and unknown fields before writing, and a rule across fields with its field in the details", async () => {
    const before = await api().monitoring.settings();
    await expect(api().promotions.saveSettings({ baselineDays: 91 })).rejects.toMatchObject({ code: "BAD_REQUEST", message: "baselineDays: use 1–90 days" });
    await expect(api().promotions.saveSettings({ minBaselineDays: 20 })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "minBaselineDays: use at most baselineDays (14)",
    });
    await expect(api().monitoring.saveSettings({ bogus: 1 } as never)).rejects.toMatchObject({ code: "BAD_REQUEST" });

    const bounds = await overHttp("monitoring.saveSettings", { intervalSec: 0 });
    expect(bounds.status).toBe(400);
    expect(bounds.body.error!.json.data.zodError).toEqual({ fieldErrors: { intervalSec: ["use 1–3,600 s"] } });

    // red below amber only shows once merged with what is saved: the domain refuses it, naming the field
    const order = await overHttp("monitoring.saveThresholds", { memoryAmberPct: 95 });
    expect(order.status).toBe(400);
    expect(order.body.error!.json.message).toBe("memoryRedPct: must be at least the amber threshold (95)");
    expect(order.body.error!.json.data.details).toEqual({ fieldErrors: { memoryRedPct: ["must be at least the amber threshold (95)"] } });
    expect(await api().monitoring.settings()).toEqual(before);
  });

  it("answers a refusal in the reader's language, with the codes for API callers", async () => {
    const bounds = await overHttp("monitoring.saveSettings", { intervalSec: 0 }, "zh");
    expect(bounds.body.error!.json.message).toBe("intervalSec: 请填写 1–3,600 秒");
    expect(bounds.body.error!.json.data.zodError).toEqual({ fieldErrors: { intervalSec: ["请填写 1–3,600 秒"] } });
    expect(bounds.body.error!.json.data.issues).toEqual([
      expect.objectContaining({
        path: "intervalSec",
        code: "too_small",
        min: 1,
        message: "use 1–3,600 s",
        text: { code: "errors.settings.intervalSec", params: { field: "intervalSec", min: 1 } },
      }),
    ]);
    // zod's own verdict (no message of the schema) becomes a code too
    const unknown = await overHttp("monitoring.saveSettings", { bogus: 1 }, "zh");
    expect(unknown.status).toBe(400);
    expect(unknown.body.error!.json.message).toBe("输入 含有未知的字段");
    expect((await overHttp("monitoring.saveSettings", { bogus: 1 })).body.error!.json.message).toBe("the input has fields that are not known");
    // a domain refusal: the message in the reader's language, the code and its parameters beside it
    const missing = await overHttp("monitoring.deleteWebhook", { id: 999_999 }, "zh");
    expect(missing.status).toBe(404);
    expect(missing.body.error!.json.message).toBe("webhook 999999 不存在；请刷新页面");
    expect(missing.body.error!.json.data.text).toEqual({ code: "errors.domain.webhooks.missing", params: { id: 999_999 } });
    const english = await overHttp("monitoring.deleteWebhook", { id: 999_999 });
    expect(english.body.error!.json.message).toBe("webhook 999999 does not exist; reload the page");
  });

  it("reads a stored value that no longer validates as its default, keeping the others", async () => {
    await db.setting
      .update({ where: { key: "promotions" }, data: { value: { baselineDays: 500, headroom: 0.2 } } })
      .catch(() => db.setting.create({ data: { key: "promotions", value: { baselineDays: 500, headroom: 0.2 } } }));
    expect(await api().promotions.settings()).toEqual({ baselineDays: 14, minBaselineDays: 3, headroom: 0.2 });
    // the next save drops the bad value rather than keeping it
    await api().promotions.saveSettings({ minBaselineDays: 4 });
    expect((await db.setting.findUniqueOrThrow({ where: { key: "promotions" } })).value).toEqual({ headroom: 0.2, minBaselineDays: 4 });
  });
});
