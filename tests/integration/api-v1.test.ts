import { validate } from "@readme/openapi-parser";
import { TRPCError } from "@trpc/server";
import { beforeAll, describe, expect, it } from "vitest";
import { appRouter, createCaller } from "../../server/api/root";
import { handleRest, openApiDocument } from "../../server/api/rest";
import { createContext } from "../../server/api/trpc";
import type { Db } from "../../server/db/client";
import type { Actor } from "../../server/domain/access/actor";
import { RateLimiter } from "../../server/domain/access/rate-limit";
import { createServiceToken, createToken, revokeToken } from "../../server/domain/tokens/tokens";
import { freshDatabase, makeActor } from "./db";

const NOC_MAY = ["/alerts", "/services/{serviceId}/acknowledge", "/services/{serviceId}/silence"];

/**
 * /api/v1 through its real handler (the route's own code, with Request objects): the document
 * validates, every documented path answers per its schema, bad tokens are refused on every
 * mutation (the tRPC walk, by token), and an Idempotency-Key makes a retry create nothing more.
 */
let db: Db;
let dba: Actor;
let biz: Actor;
let admin: Actor;
let lineId: number;
const ids: Record<string, number | string> = {};
const tokens: Record<string, string> = {};

type Procedure = { _def: { type: string; meta?: { openapi?: { path: string; method: string } }; output?: { parse(v: unknown): unknown } } };
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, Procedure>);

const form = () => ({
  productLineId: lineId,
  kind: "REDIS_STANDALONE",
  purpose: "api test cache for the order page",
  capacityGb: 1,
  peakQps: 1000,
  expectedKeys: 1000,
  persistence: "none",
  highAvailability: false,
  idcPreference: null,
  readRatio: 80,
});

async function api(method: string, path: string, opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  const res = await handleRest(
    new Request(`http://hedwig.test/api/v1${path}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) }),
    async () => null,
    db,
  );
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

beforeAll(async () => {
  ({ db } = await freshDatabase());
  const dept = await db.department.create({ data: { code: "trade", name: "Trade" } });
  const line = await db.productLine.create({ data: { code: "trade-order", name: "Order", departmentId: dept.id, importance: 3 } });
  const other = await db.productLine.create({ data: { code: "trade-pay", name: "Pay", departmentId: dept.id, importance: 3 } });
  lineId = line.id;
  dba = await makeActor(db, "DBA");
  biz = await makeActor(db, "BUSINESS", [line.id]);
  admin = await makeActor(db, "ADMIN");
  const idc = await db.idc.create({ data: { code: "api", name: "api", region: "cn-api" } });
  const rack = await db.rack.create({ data: { idcId: idc.id, code: "r1" } });
  const host = await db.host.create({
    data: {
      ip: "127.0.105.1",
      hostname: "api-h1",
      rackId: rack.id,
      cpuCores: 16,
      memoryMb: 16384,
      diskGb: 500,
      bandwidthMbps: 10000,
      tier: "MIXED",
      labels: { region: "cn-sh" },
    },
  });
  for (const [name, pl] of [
    ["order-redis", line.id],
    ["pay-redis", other.id],
  ] as const) {
    const s = await db.service.create({ data: { name, productLineId: pl, kind: "REDIS_STANDALONE", status: "ONLINE" } });
    const i = await db.instance.create({
      data: {
        serviceId: s.id,
        hostId: host.id,
        port: name === "order-redis" ? 16400 : 16401,
        software: "REDIS",
        role: "MASTER",
        version: "7.0.15",
        state: "UNKNOWN",
        maxmemoryMb: 1024,
      },
    });
    ids[name] = s.id;
    ids[`${name}-instance`] = i.id;
  }
  const pool = await db.lbPool.create({ data: { name: "api-pool", backend: "HAPROXY", configPath: "/tmp/hedwig-api-test/haproxy.cfg" } });
  ids.pool = pool.id;
  const day = 1;
  tokens.dba = (await createToken(db, dba, { name: "ci", role: "DBA", readOnly: false, expiresInDays: day })).secret;
  tokens.biz = (await createToken(db, biz, { name: "biz", role: "BUSINESS", readOnly: false, expiresInDays: day })).secret;
  tokens.readOnly = (await createToken(db, dba, { name: "ro", role: "DBA", readOnly: true, expiresInDays: day })).secret;
  tokens.lower = (await createToken(db, dba, { name: "noc", role: "NOC", readOnly: false, expiresInDays: day })).secret;
  const expired = await createToken(db, dba, { name: "old", role: "DBA", readOnly: false, expiresInDays: day });
  await db.apiToken.update({ where: { id: expired.token.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
  tokens.expired = expired.secret;
  const revoked = await createToken(db, dba, { name: "gone", role: "DBA", readOnly: false, expiresInDays: day });
  await revokeToken(db, dba, revoked.token.id);
  tokens.revoked = revoked.secret;
});

describe("tokens", () => {
  it("are stored hashed, with a recognisable prefix, and never above the owner's role", async () => {
    const row = await db.apiToken.findFirstOrThrow({ where: { name: "ci" } });
    expect(tokens.dba).toMatch(/^hdw_[A-Za-z0-9_-]{43}$/);
    expect(row.hash).not.toContain(tokens.dba!.slice(4));
    expect(row.prefix).toBe(tokens.dba!.slice(0, 10));
    await expect(createToken(db, biz, { name: "x", role: "DBA", readOnly: false, expiresInDays: 1 })).rejects.toMatchObject({ kind: "BAD_INPUT" });
    await expect(createToken(db, dba, { name: "x", role: "ADMIN", readOnly: false, expiresInDays: 1 })).rejects.toMatchObject({ kind: "BAD_INPUT" });
    await expect(
      createServiceToken(db, dba, { name: "x", account: "ci", role: "NOC", readOnly: false, expiresInDays: 1, productLineIds: [] }),
    ).rejects.toMatchObject({
      kind: "FORBIDDEN",
    });
    const svc = await createServiceToken(db, admin, { name: "deploy", account: "ci", role: "NOC", readOnly: false, expiresInDays: 1, productLineIds: [] });
    expect((await api("GET", "/services", { token: svc.secret })).status).toBe(200);
    const account = await db.user.findUniqueOrThrow({ where: { username: "svc-ci" } });
    expect(account).toMatchObject({ serviceAccount: true, passwordHash: null });
  });

  it("record their use and audit it, and the actor's changes name the token", async () => {
    await api("GET", "/services", { token: tokens.dba });
    const row = await db.apiToken.findFirstOrThrow({ where: { name: "ci" } });
    expect(row.lastUsedAt).not.toBeNull();
    expect(await db.auditEntry.count({ where: { action: "token.use", entityId: String(row.id) } })).toBe(1);
  });

  it("scope a BUSINESS token to its owner's product lines, as in the browser", async () => {
    const list = await api("GET", "/services", { token: tokens.biz });
    expect((list.body!.rows as { name: string }[]).map((r) => r.name)).toEqual(["order-redis"]);
    expect((await api("GET", `/services/${ids["pay-redis"]}`, { token: tokens.biz })).status).toBe(403);
    const byLine = await api("GET", "/services?productLine=trade-pay", { token: tokens.dba });
    expect((byLine.body!.rows as { name: string }[]).map((r) => r.name)).toEqual(["pay-redis"]);
  });

  it("select instances by label over host labels and the instance's role", async () => {
    const r = await api("GET", `/instances?selector=${encodeURIComponent("region=cn-sh,role=master,productLine=trade-order")}`, { token: tokens.dba });
    expect(r.status).toBe(200);
    expect((r.body!.rows as { id: number }[]).map((x) => x.id)).toEqual([ids["order-redis-instance"]]);
  });

  it("no token, an unknown, expired or revoked one: 401 with {code, message, field}", async () => {
    for (const token of [undefined, "hdw_nothing", tokens.expired, tokens.revoked]) {
      const r = await api("GET", "/services", { token });
      expect(r.status).toBe(401);
      expect(r.body).toMatchObject({ code: "UNAUTHORIZED", field: null });
      expect(typeof r.body!.message).toBe("string");
    }
  });

  it("a bad input names its field", async () => {
    const r = await api("POST", `/instances/0/start`, { token: tokens.dba, body: {} });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: "BAD_REQUEST", field: "instanceId" });
  });

  it("a token whose owner was demoted below it is refused", async () => {
    const owner = await makeActor(db, "DBA");
    const t = await createToken(db, owner, { name: "soon-too-high", role: "DBA", readOnly: false, expiresInDays: 1 });
    await db.user.update({ where: { id: owner.id }, data: { role: "NOC" } });
    expect((await api("GET", "/services", { token: t.secret })).status).toBe(401);
  });
});

describe("every mutation refuses bad tokens (the authorization walk, by token)", () => {
  it("expired and revoked: 401; read-only: 403; lower role: 403 wherever the role itself is refused", { timeout: 120_000 }, async () => {
    const failures: string[] = [];
    const call = async (ctx: ReturnType<typeof createContext>, path: string) => {
      let target: unknown = createCaller(ctx);
      for (const part of path.split(".")) target = (target as Record<string, unknown>)[part];
      return (target as (i: unknown) => Promise<unknown>)(undefined).then(
        () => null,
        (e: unknown) => (e instanceof TRPCError ? e.code : "INTERNAL_SERVER_ERROR"),
      );
    };
    const bearer = (secret: string) => createContext(null, db, { bearer: { secret, ip: "127.0.0.1" } });
    const noc = await makeActor(db, "NOC");
    for (const [path, proc] of procedures) {
      if (proc._def.type !== "mutation") continue;
      const expect401 = [tokens.expired!, tokens.revoked!, "hdw_unknown"];
      for (const t of expect401) {
        const code = await call(bearer(t), path);
        if (code !== "UNAUTHORIZED") failures.push(`${path} with a ${t.slice(0, 10)} token: ${code}`);
      }
      const ro = await call(bearer(tokens.readOnly!), path);
      if (ro !== "FORBIDDEN") failures.push(`${path} with a read-only token: ${ro}`);
      // The NOC token of a DBA is refused exactly where a NOC's own session is.
      const nocSession = await call(createContext(noc.id, db), path);
      const nocToken = await call(bearer(tokens.lower!), path);
      if (nocSession === "FORBIDDEN" && nocToken !== "FORBIDDEN") failures.push(`${path} with a NOC token of a DBA: ${nocToken}`);
    }
    expect(failures).toEqual([]);
  });

  it("over HTTP too: every documented mutation, 401 for expired/revoked, 403 for read-only and the lower role, nothing written", async () => {
    const doc = openApiDocument("http://hedwig.test");
    const before = await db.resourceRequest.count();
    for (const [path, ops] of Object.entries(doc.paths ?? {})) {
      const post = (ops as Record<string, unknown>).post;
      // The capacity query is a POST for its nested spec, but a read: read-only and NOC tokens may ask it.
      if (!post || path === "/scheduler/capacity") continue;
      const concrete = path.replace(/\{[^}]+\}/g, "1");
      for (const [token, status] of [
        [tokens.expired, 401],
        [tokens.revoked, 401],
        [tokens.readOnly, 403],
      ] as const) {
        const r = await api("POST", concrete, { token, body: {} });
        expect(r.status, `${path} ${token!.slice(0, 8)}`).toBe(status);
      }
      // A NOC raises alerts from the systems it watches, acknowledges and silences.
      if (!NOC_MAY.includes(path)) expect((await api("POST", concrete, { token: tokens.lower, body: {} })).status, path).toBe(403);
    }
    expect(await db.resourceRequest.count()).toBe(before);
  });
});

describe("the OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const doc = JSON.parse(JSON.stringify(openApiDocument("http://hedwig.test")));
    expect(doc.openapi).toMatch(/^3\.1/);
    const result = await validate(doc);
    expect(result).toMatchObject({ valid: true });
  });

  it("every documented GET path answers per its procedure's output schema", async () => {
    const doc = openApiDocument("http://hedwig.test");
    const job = await db.job.create({ data: { kind: "provision", input: {}, createdById: dba.id } });
    const request = await api("POST", "/requests", { token: tokens.dba, body: { form: form(), submit: true } });
    expect(request.status).toBe(200);
    const values: Record<string, string | number> = {
      "/services/{id}": ids["order-redis"]!,
      "/services/{serviceId}/health": ids["order-redis"]!,
      "/services/{id}/instances": ids["order-redis"]!,
      "/requests/{id}": request.body!.id as number,
      "/jobs/{id}": job.id,
      "/libra/pools/{poolId}": ids.pool!,
      "/incidents/{id}": (await db.incident.create({ data: { serviceId: ids["order-redis"] as number, reason: "walk", closedAt: new Date() } })).id,
    };
    const byPath = new Map(
      procedures.filter(([, p]) => p._def.meta?.openapi).map(([, p]) => [`${p._def.meta!.openapi!.method} ${p._def.meta!.openapi!.path}`, p]),
    );
    const checked: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths ?? {})) {
      if (!(ops as Record<string, unknown>).get || path.endsWith("/log")) continue;
      if (/\{/.test(path) && values[path] === undefined) continue;
      const concrete = path.replace(/\{[^}]+\}/, String(values[path] ?? ""));
      const r = await api("GET", concrete, { token: tokens.dba });
      expect(r.status, `${path}: ${JSON.stringify(r.body)}`).toBe(200);
      expect(() => byPath.get(`GET ${path}`)!._def.output!.parse(r.body), path).not.toThrow();
      checked.push(path);
    }
    expect(checked).toContain("/services/{id}/instances");
    expect(checked).toEqual(expect.arrayContaining(["/incidents", "/incidents/{id}", "/scheduler/allocations"]));
    expect(checked.length).toBeGreaterThanOrEqual(13);
    const unknownApp = await api("GET", "/libra/applications/999999", { token: tokens.dba });
    expect(unknownApp.status).toBe(404);
  });
});

describe("Idempotency-Key", () => {
  it("a retry gets the same answer and creates one request; the key with another body is refused", async () => {
    const before = await db.resourceRequest.count();
    const headers = { "idempotency-key": "plan-42" };
    const first = await api("POST", "/requests", { token: tokens.biz, body: { form: form() }, headers });
    const again = await api("POST", "/requests", { token: tokens.biz, body: { form: form() }, headers });
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await db.resourceRequest.count()).toBe(before + 1);
    const other = await api("POST", "/requests", { token: tokens.biz, body: { form: { ...form(), capacityGb: 2 } }, headers });
    expect(other.status).toBe(422);
    // Another caller's same key is its own.
    const dbaCall = await api("POST", "/requests", { token: tokens.dba, body: { form: form() }, headers });
    expect(dbaCall.status).toBe(200);
    expect(await db.resourceRequest.count()).toBe(before + 2);
  });

  it("a browser session's mutation from another origin is refused; a token call carries no Origin and is accepted", async () => {
    const res = await handleRest(
      new Request("http://hedwig.test/api/v1/requests", {
        method: "POST",
        headers: { origin: "http://evil.test", "content-type": "application/json" },
        body: JSON.stringify({ form: form() }),
      }),
      async () => biz.id,
      db,
    );
    expect(res.status).toBe(403);
    const ok = await handleRest(
      new Request("http://hedwig.test/api/v1/requests", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ form: form() }),
      }),
      async () => biz.id,
      db,
    );
    expect(ok.status).toBe(200);
  });
});

/** Every def under a schema (wrappers, object fields, array elements, pipes), to look for a `coerce` flag. */
function defsUnder(schema: unknown, seen = new Set<unknown>()): { type: string; coerce?: boolean }[] {
  const def = (schema as { _zod?: { def?: Record<string, unknown> } } | undefined)?._zod?.def;
  if (!def || seen.has(def)) return [];
  seen.add(def);
  const kids = [
    def.innerType,
    def.element,
    def.in,
    def.out,
    ...Object.values((def.shape as Record<string, unknown>) ?? {}),
    ...((def.options as unknown[]) ?? []),
  ];
  return [def as { type: string; coerce?: boolean }, ...kids.flatMap((k) => defsUnder(k, seen))];
}

describe("REST leaves the procedures' own schemas alone", () => {
  it("a tRPC call after a REST call of the same procedure validates as before", async () => {
    const coercing = () =>
      procedures.flatMap(([path, p]) =>
        ((p._def as unknown as { inputs: unknown[] }).inputs ?? []).flatMap((s) =>
          defsUnder(s)
            .filter((d) => d.coerce)
            .map((d) => `${path}: ${d.type}`),
        ),
      );
    const before = coercing();
    expect((await api("GET", "/services?page=1&pageSize=5", { token: tokens.dba })).status).toBe(200);
    expect((await api("GET", "/requests?mine=false&pageSize=5", { token: tokens.dba })).status).toBe(200);
    expect((await api("POST", "/requests", { token: tokens.dba, body: { form: form(), submit: false } })).status).toBe(200);
    expect(
      (await api("POST", `/instances/${ids["order-redis-instance"]}/stop`, { token: tokens.lower, body: { maintenanceUntil: "2030-01-01T00:00:00Z" } })).status,
    ).toBe(403);
    // trpc-to-openapi used to set coerce on these schemas (nested ones too) at the first REST call.
    expect(coercing()).toEqual(before);

    const trpc = createCaller(createContext(dba.id, db));
    await expect(trpc.services.list({ page: 1, pageSize: "5" as unknown as number })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(trpc.requests.list({ mine: "false" as unknown as boolean })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(trpc.requests.create({ form: { ...form(), capacityGb: "1" } as never, submit: false })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(trpc.requests.create({ form: form() as never, submit: false })).resolves.toMatchObject({ status: "DRAFT" });
  });

  it("query text still becomes the schema's types over REST: false is false, numbers are numbers, garbage is a 400 naming the field", async () => {
    const mine = await api("GET", "/requests?mine=true", { token: tokens.biz });
    const all = await api("GET", "/requests?mine=false", { token: tokens.dba });
    expect(mine.status).toBe(200);
    expect(all.status).toBe(200);
    expect((all.body!.total as number) >= (mine.body!.total as number)).toBe(true);
    const bad = await api("GET", "/services?pageSize=many", { token: tokens.dba });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: "BAD_REQUEST", field: "pageSize" });
  });
});

describe("a service's instances at /services/{id}/instances", () => {
  it("lists them paged, filtered by selector, scoped like the service itself", async () => {
    const r = await api("GET", `/services/${ids["order-redis"]}/instances?selector=role%3Dmaster&pageSize=10`, { token: tokens.dba });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ total: 1, rows: [{ id: ids["order-redis-instance"], serviceId: ids["order-redis"] }] });
    expect((await api("GET", `/services/${ids["order-redis"]}/instances?selector=role%3Dreplica`, { token: tokens.dba })).body).toMatchObject({ total: 0 });
    expect((await api("GET", `/services/${ids["pay-redis"]}/instances`, { token: tokens.biz })).status).toBe(403);
    expect((await api("GET", `/services/2000000000/instances`, { token: tokens.dba })).status).toBe(404);
  });
});

describe("POST /alerts: another system raises an incident", () => {
  it("opens one incident per source and key, adds a changed repeat to its timeline, resolves it; NOC may, read-only may not", async () => {
    const body = { service: "order-redis", source: "zabbix", key: "disk-full", summary: "disk /data 95% full on api-h1" };
    expect((await api("POST", "/alerts", { token: tokens.readOnly, body })).status).toBe(403);
    expect((await api("POST", "/alerts", { token: tokens.biz, body })).status).toBe(403);
    const raised = await api("POST", "/alerts", { token: tokens.lower, body, headers: { "idempotency-key": "zbx-1" } });
    expect(raised.status, JSON.stringify(raised.body)).toBe(200);
    expect(raised.body).toMatchObject({ opened: true, resolved: false });
    const incidentId = raised.body!.incidentId as number;
    // a retry of the same delivery is the same answer; the same alert again is the same incident
    expect((await api("POST", "/alerts", { token: tokens.lower, body, headers: { "idempotency-key": "zbx-1" } })).body).toEqual(raised.body);
    expect((await api("POST", "/alerts", { token: tokens.lower, body })).body).toMatchObject({ incidentId, opened: false });
    const worse = await api("POST", "/alerts", { token: tokens.lower, body: { ...body, summary: "disk /data 99% full on api-h1" } });
    expect(worse.body).toMatchObject({ incidentId, opened: false });
    const incident = await db.incident.findUniqueOrThrow({ where: { id: incidentId }, include: { events: { orderBy: { id: "asc" } } } });
    expect(incident).toMatchObject({ serviceId: ids["order-redis"], source: "zabbix", externalKey: "disk-full", closedAt: null });
    expect(incident.events.map((e) => e.kind)).toEqual(["opened", "reason"]);
    expect(incident.events[0]!.params).toMatchObject({ reason: { code: "external_alert", params: { source: "zabbix", summary: body.summary } } });
    expect(await db.notification.count({ where: { code: "incident_opened", link: `/incidents/${incidentId}` } })).toBeGreaterThan(0);
    // the NOC acknowledges and silences it over REST, and lists it
    const ack = await api("POST", `/services/${ids["order-redis"]}/acknowledge`, { token: tokens.lower, body: { note: "zabbix disk: cleaning /data" } });
    expect(ack.status, JSON.stringify(ack.body)).toBe(200);
    expect(ack.body).toMatchObject({ id: incidentId, ackNote: "zabbix disk: cleaning /data" });
    const quiet = await api("POST", `/services/${ids["order-redis"]}/silence`, { token: tokens.lower, body: { minutes: 30 } });
    expect(quiet.status).toBe(200);
    expect(quiet.body!.silencedUntil).toEqual(expect.any(String));
    const listed = await api("GET", "/incidents?state=open&days=1", { token: tokens.lower });
    expect((listed.body!.rows as { id: number }[]).map((r) => r.id)).toContain(incidentId);
    expect((await api("GET", `/incidents/${incidentId}`, { token: tokens.biz })).status).toBe(200);
    // another key on the same service is another incident
    const other = await api("POST", "/alerts", {
      token: tokens.dba,
      body: { serviceId: ids["order-redis"], source: "zabbix", summary: "load 40", level: "AMBER" },
    });
    expect(other.body).toMatchObject({ opened: true });
    expect(other.body!.incidentId).not.toBe(incidentId);

    const resolved = await api("POST", "/alerts", { token: tokens.lower, body: { ...body, status: "resolved" } });
    expect(resolved.body).toEqual({ incidentId, opened: false, resolved: true });
    expect((await db.incident.findUniqueOrThrow({ where: { id: incidentId } })).closedAt).not.toBeNull();
    const again = await api("POST", "/alerts", { token: tokens.lower, body: { ...body, status: "resolved" } });
    expect(again.status).toBe(404);
    expect(again.body).toMatchObject({ code: "NOT_FOUND" });
    expect(await db.auditEntry.count({ where: { action: { startsWith: "incident.alert." }, entityId: String(incidentId) } })).toBe(2);

    const nameless = await api("POST", "/alerts", { token: tokens.dba, body: { source: "zabbix", summary: "x" } });
    expect(nameless.status).toBe(400);
    expect(nameless.body).toMatchObject({ field: "service" });
    expect((await api("POST", "/alerts", { token: tokens.dba, body: { ...body, service: "no-such" } })).status).toBe(404);
  });
});

describe("errors in the caller's language", () => {
  it("answer Accept-Language with the message rendered, and the same as a code with parameters", async () => {
    const en = await api("GET", "/services", { token: tokens.revoked });
    const zh = await api("GET", "/services", { token: tokens.revoked, headers: { "accept-language": "zh-CN,zh;q=0.9" } });
    expect(en.status).toBe(401);
    expect(zh.status).toBe(401);
    expect(en.body!.text).toEqual({ code: "errors.api.token.revoked" });
    expect(zh.body!.text).toEqual(en.body!.text);
    expect(zh.body!.message).not.toBe(en.body!.message);
    expect(zh.body!.message).toMatch(/[\u4e00-\u9fff]/);

    const body = { service: "no-such-service", source: "zabbix", summary: "x" };
    const missing = await api("POST", "/alerts", { token: tokens.dba, body, headers: { "accept-language": "zh" } });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: "NOT_FOUND", text: { code: "automation.alertServiceUnknown", params: { service: "no-such-service" } } });
    expect(missing.body!.message).toContain("no-such-service");
    expect(missing.body!.message).toMatch(/[\u4e00-\u9fff]/);

    const bad = await api("GET", "/services?pageSize=0", { token: tokens.dba, headers: { "accept-language": "zh" } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: "BAD_REQUEST", field: "pageSize", text: { code: expect.stringMatching(/^errors\.zod\./) } });
    expect(bad.body!.message).toMatch(/[\u4e00-\u9fff]/);
  });
});

describe("rate limit", () => {
  it("a token over its calls per minute gets 429 with Retry-After, in its language; another token is not held back", async () => {
    // the calls above counted into the same table: start from none, on a pinned clock so a minute's end cannot free the third call
    await db.apiRateWindow.deleteMany();
    const at = new Date();
    const limiter = new (class extends RateLimiter {
      override take(d: Db, caller: string) {
        return super.take(d, caller, at);
      }
    })(2);
    const call = (token: string, lang = "en") =>
      handleRest(
        new Request("http://hedwig.test/api/v1/services?pageSize=1", { headers: { authorization: `Bearer ${token}`, "accept-language": lang } }),
        async () => null,
        db,
        limiter,
      );
    expect((await call(tokens.dba!)).status).toBe(200);
    expect((await call(tokens.dba!)).status).toBe(200);
    const held = await call(tokens.dba!, "zh");
    expect(held.status).toBe(429);
    expect(Number(held.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = (await held.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ code: "TOO_MANY_REQUESTS", field: null, text: { code: "automation.rateLimited", params: { limit: 2 } } });
    expect(body.message).toMatch(/[\u4e00-\u9fff]/);
    expect((await call(tokens.biz!)).status).toBe(200);
  });
});
