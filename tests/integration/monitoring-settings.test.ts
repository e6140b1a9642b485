import http from "node:http";
import type { AddressInfo } from "node:net";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "../../server/api/root";
import { createContext } from "../../server/api/trpc";
import type { Db } from "../../server/db/client";
import { deliverAlerts, MAX_ATTEMPTS } from "../../server/domain/health/alerts";
import { openServiceIncident } from "../../server/domain/health/incident-store";
import { DEFAULT_THRESHOLDS } from "../../server/domain/health/thresholds";
import { freshDatabase, makeActor } from "./db";

/** The settings API as the page calls it: validation per field, roles, audit, webhooks and their test send. */
let db: Db;
let dba: ReturnType<typeof createCaller>;
let noc: ReturnType<typeof createCaller>;
let serviceId = 0;
const received: { body: unknown }[] = [];
let receiver: http.Server;
let url = "";

async function refusal(p: Promise<unknown>) {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(TRPCError);
  return e as TRPCError & { cause?: { issues?: { path: string[]; message: string }[] } };
}

beforeAll(async () => {
  ({ db } = await freshDatabase());
  // The test receiver is on loopback, which webhooks reach only in a range an ADMIN allowed.
  await db.setting.create({ data: { key: "webhooks.allowedRanges", value: { ranges: ["127.0.0.0/8"] } } });
  dba = createCaller(createContext((await makeActor(db, "DBA")).id, db));
  noc = createCaller(createContext((await makeActor(db, "NOC")).id, db));
  const dept = await db.department.create({ data: { code: "s", name: "S" } });
  const line = await db.productLine.create({ data: { code: "s-line", name: "s", departmentId: dept.id, importance: 3 } });
  serviceId = (await db.service.create({ data: { name: "svc-settings", productLineId: line.id, kind: "REDIS_STANDALONE" } })).id;
  receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ body: JSON.parse(body) });
      if (req.url?.includes("broken")) {
        res.statusCode = 500;
        res.end("down for maintenance");
        return;
      }
      res.end(req.url?.includes("dingtalk-refuses") ? '{"errcode":310000,"errmsg":"keywords not in content"}' : '{"errcode":0}');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.11.2", r));
  url = `http://127.0.11.2:${(receiver.address() as AddressInfo).port}`;
});

afterAll(() => new Promise((r) => receiver.close(r)));

describe("settings", () => {
  it("defaults first; saved values come back and are audited", async () => {
    const s = await dba.monitoring.settings();
    expect(s.monitoring).toMatchObject({ intervalSec: 10, rawRetentionDays: 2, minuteRetentionDays: 30 });
    expect(s.thresholds).toEqual(DEFAULT_THRESHOLDS);
    await dba.monitoring.saveSettings({ ...s.monitoring, intervalSec: 15 });
    expect((await dba.monitoring.settings()).monitoring.intervalSec).toBe(15);
    expect(await db.auditEntry.count({ where: { action: "settings.monitoring" } })).toBe(1);
  });

  it("a value out of range is refused with its field named; red below amber too", async () => {
    const s = await dba.monitoring.settings();
    const e1 = await refusal(dba.monitoring.saveSettings({ ...s.monitoring, hourRetentionDays: 30 }));
    expect(e1.code).toBe("BAD_REQUEST");
    expect(e1.message).toBe("hourRetentionDays: keep hours a year or more: promotions are compared year over year");
    const e2 = await refusal(dba.monitoring.saveThresholds({ ...s.thresholds, memoryRedPct: 120 }));
    expect(e2.message).toBe("memoryRedPct: use 1–100 (% of maxmemory)");
    const e3 = await refusal(dba.monitoring.saveThresholds({ ...s.thresholds, latencyP99AmberUs: 90_000 }));
    expect(e3.message).toBe("latencyP99RedUs: must be at least the amber threshold (90000)");
    expect((await dba.monitoring.settings()).thresholds).toEqual(DEFAULT_THRESHOLDS);
  });

  it("per-service overrides: partial, checked against the settings, cleared with {}", async () => {
    await dba.monitoring.saveServiceOverrides({ serviceId, memoryAmberPct: 70, mustNotEvict: false });
    expect((await dba.monitoring.serviceOverrides({ serviceId })).overrides).toEqual({ memoryAmberPct: 70, mustNotEvict: false });
    const e = await refusal(dba.monitoring.saveServiceOverrides({ serviceId, memoryAmberPct: 95 }));
    expect(e.message).toBe("svc-settings: memoryRedPct: must be at least the amber threshold (95)");
    await dba.monitoring.saveServiceOverrides({ serviceId });
    expect((await db.service.findUniqueOrThrow({ where: { id: serviceId } })).healthOverrides).toEqual({});
    expect(await db.auditEntry.count({ where: { action: "service.health-overrides" } })).toBe(2);
  });

  it("NOC may not read or change them", async () => {
    expect((await refusal(noc.monitoring.settings())).code).toBe("FORBIDDEN");
    expect((await refusal(noc.monitoring.saveThresholds(DEFAULT_THRESHOLDS))).code).toBe("FORBIDDEN");
    expect((await refusal(noc.monitoring.createWebhook({ name: "x", url, format: "GENERIC", enabled: true, productLineId: null }))).code).toBe("FORBIDDEN");
  });
});

describe("webhooks", () => {
  it("create, refuse a duplicate name or a bad URL, test-send in the format, delete", async () => {
    const hook = await dba.monitoring.createWebhook({ name: "noc-robot", url: `${url}/ding`, format: "DINGTALK", enabled: true, productLineId: null });
    expect((await refusal(dba.monitoring.createWebhook({ name: "noc-robot", url, format: "GENERIC", enabled: true, productLineId: null }))).message).toMatch(
      /a webhook named "noc-robot" already exists/,
    );
    expect((await refusal(dba.monitoring.createWebhook({ name: "bad", url: "ftp://x", format: "GENERIC", enabled: true, productLineId: null }))).message).toBe(
      "url: use an http:// or https:// URL",
    );
    expect(await dba.monitoring.testWebhook({ id: hook.id })).toEqual({ ok: true, error: null });
    expect(received.at(-1)!.body).toMatchObject({ msgtype: "markdown", markdown: { title: "[TEST] Hedwig: test alert from Hedwig to noc-robot" } });
    await dba.monitoring.updateWebhook({
      id: hook.id,
      name: "noc-robot",
      url: `${url}/dingtalk-refuses`,
      format: "DINGTALK",
      enabled: true,
      productLineId: null,
    });
    expect(await dba.monitoring.testWebhook({ id: hook.id })).toEqual({ ok: false, error: "robot refused: errcode 310000 keywords not in content" });
    await dba.monitoring.deleteWebhook({ id: hook.id });
    expect(await dba.monitoring.webhooks()).toEqual([]);
    expect(await db.auditEntry.count({ where: { entityType: "AlertWebhook" } })).toBe(5);
  });
});

describe("alert delivery", () => {
  it("a failing receiver is retried a bounded number of times and the error is on the incident; a working one gets it once", async () => {
    const broken = await dba.monitoring.createWebhook({ name: "broken", url: `${url}/broken`, format: "GENERIC", enabled: true, productLineId: null });
    const ok = await dba.monitoring.createWebhook({ name: "fine", url: `${url}/fine`, format: "WECOM", enabled: true, productLineId: null });
    const opened = new Date(Date.now() - 42_000);
    const reasons = [
      {
        code: "unreachable" as const,
        level: "RED" as const,
        params: { addr: "127.0.11.9:6379", role: "MASTER", shard: 0, since: opened.toISOString(), error: "connection refused" },
      },
    ];
    const svc = await db.service.findUniqueOrThrow({ where: { id: serviceId }, select: { name: true, productLineId: true } });
    const id = await openServiceIncident(db, { id: serviceId, name: svc.name, productLineId: svc.productLineId, importance: 3 }, reasons, opened);
    const before = received.length;
    for (let k = 0; k < MAX_ATTEMPTS + 2; k++) await deliverAlerts(db, new Date(), "http://hedwig.test");
    expect(received.length - before).toBe(MAX_ATTEMPTS + 1); // 5 attempts at the broken one, 1 delivery to the fine one
    const incident = await db.incident.findUniqueOrThrow({ where: { id } });
    expect(incident.notifiedAt).not.toBeNull();
    expect(incident.notifyError).toBe(`broken: HTTP 500: down for maintenance (gave up)`);
    const wecom = received
      .slice(before)
      .map((r) => r.body as { msgtype?: string; markdown: { content: string } })
      .filter((b) => b.msgtype === "markdown");
    expect(wecom).toHaveLength(1);
    // the text as of sending: the duration counts from the opening, not "for 0 s", and is said once
    expect(wecom[0]!.markdown.content).toMatch(/127\.0\.11\.9:6379 \(master of shard 0\) unreachable for 4\d s: connection refused/);
    expect(wecom[0]!.markdown.content).not.toMatch(/— for/);
    expect(wecom[0]!.markdown.content).toContain(`http://hedwig.test/incidents/${id}`);
    await dba.monitoring.deleteWebhook({ id: broken.id });
    await dba.monitoring.deleteWebhook({ id: ok.id });
  });

  it("each webhook speaks its own language; one without a choice follows the setting", async () => {
    const zh = await dba.monitoring.createWebhook({ name: "zh-robot", url: `${url}/zh`, format: "WECOM", locale: "zh", enabled: true, productLineId: null });
    const en = await dba.monitoring.createWebhook({ name: "en-robot", url: `${url}/en`, format: "GENERIC", enabled: true, productLineId: null });
    expect(zh.locale).toBe("zh");
    expect(en.locale).toBeNull();
    const opened = new Date(Date.now() - 10_000);
    const reasons = [
      {
        code: "unreachable" as const,
        level: "RED" as const,
        params: { addr: "127.0.11.8:6379", role: "MASTER", shard: 1, since: opened.toISOString(), error: "connection refused" },
      },
    ];
    const other = await db.service.create({
      data: { name: "svc-languages", productLineId: (await db.productLine.findFirstOrThrow()).id, kind: "REDIS_STANDALONE" },
    });
    await openServiceIncident(db, { id: other.id, name: other.name, productLineId: other.productLineId, importance: 3 }, reasons, opened);
    const before = received.length;
    await deliverAlerts(db, new Date(), "http://hedwig.test", "en");
    const bodies = received.slice(before).map((r) => JSON.stringify(r.body));
    expect(bodies).toHaveLength(2);
    expect(bodies.find((b) => b.includes("markdown"))).toMatch(/127\.0\.11\.8:6379（分片 1 的主） 已 1\d 秒 无法连接：connection refused/);
    expect(bodies.find((b) => !b.includes("markdown"))).toMatch(/127\.0\.11\.8:6379 \(master of shard 1\) unreachable for 1\d s/);
    await dba.monitoring.deleteWebhook({ id: zh.id });
    await dba.monitoring.deleteWebhook({ id: en.id });
  });
});
