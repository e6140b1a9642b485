import { beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "../../server/api/root";
import { createContext } from "../../server/api/trpc";
import type { Db } from "../../server/db/client";
import { ensureSettingsAndRanges } from "../../server/db/seed";
import type { Actor } from "../../server/domain/access/actor";
import { changeOwnPassword, updateUser } from "../../server/domain/access/users";
import { signInWithPassword, THROTTLE } from "../../server/domain/access/sign-in";
import { hashPassword } from "../../server/auth/password";
import { createApplication, createPool } from "../../server/domain/lb/store";
import { freshDatabase, makeActor } from "./db";

/** Bounds at the input, a bad row skipped by the scheduler, VIP collisions, sign-in throttling, sessions and the bootstrap admin. */
let db: Db;
let dba: Actor;
let admin: Actor;
let hostId: number;
let serviceId: number;
const as = (a: Actor) => createCaller(createContext(a.id, db));
const spec = { cpuCores: 1, memoryMb: 1024, diskGb: 10, bandwidthMbps: 100 };
const ask = { spec, idcIds: null, selector: "", importance: 2, productLineId: null, departmentId: null, replicas: 1, crossIdc: false, hostCap: null };

const requestForm = (productLineId: number) => ({
  productLineId,
  kind: "REDIS_STANDALONE" as const,
  purpose: "session cache for the hardening test",
  capacityGb: 1,
  peakQps: 1000,
  expectedKeys: 1000,
  persistence: "none" as const,
  highAvailability: false,
  idcPreference: null,
  readRatio: 80,
});

beforeAll(async () => {
  ({ db } = await freshDatabase());
  dba = await makeActor(db, "DBA");
  admin = await makeActor(db, "ADMIN");
  const dept = await db.department.create({ data: { code: "hard", name: "Hard" } });
  const line = await db.productLine.create({ data: { code: "hard-line", name: "Hard", departmentId: dept.id, importance: 2 } });
  const idc = await db.idc.create({ data: { code: "hd", name: "hd", region: "cn-hd" } });
  const rack = await db.rack.create({ data: { idcId: idc.id, code: "r1" } });
  for (let n = 1; n <= 3; n++) {
    const h = await db.host.create({
      data: { ip: `127.0.104.${n}`, hostname: `hd-${n}`, rackId: rack.id, cpuCores: 16, memoryMb: 16384, diskGb: 500, bandwidthMbps: 10000, tier: "MIXED" },
    });
    if (n === 1) hostId = h.id;
  }
  serviceId = (await db.service.create({ data: { name: "hard-redis", productLineId: line.id, kind: "REDIS_STANDALONE" } })).id;
});

describe("bounds", () => {
  it("answers an id above 2^31 with a 400 naming the field and its range, not the database's 500", async () => {
    for (const call of [
      () => as(dba).hosts.get({ id: 2 ** 31 }),
      () => as(dba).services.get({ id: 3_000_000_000 }),
      () => as(dba).libra.pool({ poolId: 2 ** 40 }),
    ]) {
      const e = await call().catch((x: unknown) => x);
      expect(e).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/(id|poolId): an id is from 1 to 2147483647/) });
    }
  });

  it("refuses an instance with impossible figures at the input, and writes nothing", async () => {
    const before = await db.instance.count();
    const e = await as(dba)
      .services.createInstance({ serviceId, hostId, port: 6400, software: "REDIS", role: "MASTER", version: "7.0.15", cpuCores: 1e308 })
      .catch((x: unknown) => x);
    expect(e).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/cpuCores: CPU is from 0 to 1024/) });
    expect(await db.instance.count()).toBe(before);
  });

  it("refuses a date PostgreSQL cannot store and an oversized page", async () => {
    await expect(as(dba).admin.audit({ from: new Date(-8.64e15) })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/from: from is a date from 2000-01-01/),
    });
    await expect(as(dba).hosts.list({ page: 2 ** 31, pageSize: 500 })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/page: page is a whole number from 1 to 100000/),
    });
  });
});

describe("one impossible row does not stop the fleet", () => {
  it("skips and reports a host whose instance a DBA wrote with cpuCores 1e308; the others still count", async () => {
    const healthy = await as(dba).scheduler.capacity(ask);
    expect(healthy.skippedHosts).toEqual([]);
    // What a DBA can still do with SQL, past the API's bounds.
    await db.$executeRaw`INSERT INTO "Instance" ("serviceId", "hostId", "port", "software", "role", "version", "state", "cpuCores", "memoryMb", "diskGb", "bandwidthMbps", "updatedAt")
                         VALUES (${serviceId}, ${hostId}, 6500, 'REDIS', 'MASTER', '7.0.15', 'UNKNOWN', 1e308, 0, 0, 0, now())`;
    const r = await as(dba).scheduler.capacity(ask);
    expect(r.skippedHosts).toEqual([{ hostId, ip: "127.0.104.1", reason: "impossibleUsage", field: "cpuCores", value: "1e+308" }]);
    expect(r.hostsConsidered).toBe(healthy.hostsConsidered - 1);
    expect(r.instances).toBeGreaterThan(0);
    // The placement and the request's approval preview (fitting or not) name it too; the placement still uses the others.
    const line = await db.productLine.findFirstOrThrow({ where: { code: "hard-line" } });
    await ensureSettingsAndRanges(db, { demo: false }); // port ranges
    const placed = await as(dba).scheduler.place({
      ...ask,
      productLineId: line.id,
      shards: 1,
      strategy: "spread",
      preferredIdcId: null,
      software: "REDIS",
      purpose: "skipped host test",
      serviceId: null,
      ttlSeconds: 600,
      dryRun: true,
    });
    expect(placed.skippedHosts).toEqual(r.skippedHosts);
    expect(placed.items.map((i) => i.ip)).not.toContain("127.0.104.1");
    const requester = await makeActor(db, "BUSINESS", [line.id]);
    const request = await as(requester).requests.create({ form: requestForm(line.id), submit: true });
    const preview = await as(dba).requests.previewApproval({ id: request.id, adjust: {} });
    expect(preview.skippedHosts).toEqual(r.skippedHosts);
    await as(requester).requests.cancel({ id: request.id });
    await db.$executeRaw`DELETE FROM "Instance" WHERE "port" = 6500 AND "hostId" = ${hostId}`;
  });
});

describe("Libra VIPs", () => {
  let poolId: number;
  let templates: { healthCheckId: number; balanceConfigId: number };
  beforeAll(async () => {
    await ensureSettingsAndRanges(db, { demo: false });
    poolId = (
      await createPool(db, dba, {
        name: "hard-pool",
        backend: "HAPROXY",
        description: "",
        statsPort: 19471,
        vipRange: null,
        servers: [{ ip: "127.0.104.20", executor: "LOCAL" }],
      })
    ).id;
    const health = await db.lbHealthCheck.findUniqueOrThrow({ where: { name: "tcp-default" } });
    const balance = await db.lbBalanceConfig.findUniqueOrThrow({ where: { name: "rr-default" } });
    templates = { healthCheckId: health.id, balanceConfigId: balance.id };
    const h = await db.host.create({
      data: {
        ip: "127.0.104.31",
        hostname: "hd-31",
        rackId: (await db.rack.findFirstOrThrow()).id,
        cpuCores: 8,
        memoryMb: 8192,
        diskGb: 100,
        bandwidthMbps: 1000,
      },
    });
    await db.instance.create({ data: { serviceId, hostId: h.id, port: 22121, software: "TWEMPROXY", role: "PROXY", version: "0.5.0", state: "UNKNOWN" } });
  });

  const app = (name: string, ip: string, port: number) => ({
    poolId,
    name,
    serviceId: null,
    ...templates,
    vip: { ip, port, protocol: "TCP" as const },
    members: [],
  });

  it("refuses every VIP while the pool has no VIP range, telling the DBA to add one; a DBA sets it", async () => {
    await expect(as(dba).libra.createApplication(app("no-range", "127.0.104.33", 7000))).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/pool hard-pool has no VIP range.*add the pool's VIP range first/),
    });
    await expect(as(dba).libra.setPoolVipRange({ poolId, vipRange: "127.0.104.30-" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await as(dba).libra.setPoolVipRange({ poolId, vipRange: "127.0.104.30-127.0.104.39" })).toEqual({
      vipRange: "127.0.104.30-127.0.104.39",
      outside: [],
    });
    const audit = await db.auditEntry.findFirstOrThrow({ where: { action: "libra.pool.vipRange", entityId: String(poolId) } });
    expect(audit.summary).toBe("VIP range of pool hard-pool: (none) → 127.0.104.30-127.0.104.39");
  });

  it("refuses a VIP outside the pool's ranges or on a known listener, before anything is written", async () => {
    const before = { apps: await db.lbApplication.count(), vips: await db.lbVip.count(), changes: await db.lbChange.count() };
    const refusals: [ReturnType<typeof app>, RegExp][] = [
      [app("out-of-range", "127.0.104.50", 7000), /outside pool hard-pool's VIP range 127.0.104.30-127.0.104.39/],
      [app("on-proxy", "127.0.104.31", 22121), /127.0.104.31:22121 is already held by instance \d+ \(twemproxy\)/],
      [app("on-stats", "127.0.104.31", 23121), /the stats port of Twemproxy instance \d+/],
      [app("on-hedwig", "127.0.104.32", Number(process.env.PORT ?? 3000)), /Hedwig's web server/],
    ];
    for (const [input, message] of refusals) {
      await expect(as(dba).libra.createApplication(input), input.name).rejects.toMatchObject({ message: expect.stringMatching(message) });
    }
    // the pool's runtime API on a server address that is in range
    await db.lbPool.update({ where: { id: poolId }, data: { vipRange: "127.0.104.20-127.0.104.39" } });
    await expect(as(dba).libra.createApplication(app("on-runtime", "127.0.104.20", 19471))).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/runtime API of pool hard-pool/),
    });
    expect({ apps: await db.lbApplication.count(), vips: await db.lbVip.count(), changes: await db.lbChange.count() }).toEqual(before);
    const ok = await createApplication(db, dba, { ...app("fine", "127.0.104.33", 7000) });
    expect(ok.name).toBe("fine");
  });
});

describe("sign-in", () => {
  beforeAll(async () => {
    await db.user.create({ data: { username: "hd-user", displayName: "HD", role: "NOC", passwordHash: await hashPassword("right-password-1") } });
  });

  it("backs off exponentially per user, then locks; an unknown user is throttled alike", async () => {
    // from now: the admin list shows a lock only while it lasts by the real clock
    const t0 = new Date();
    for (let i = 1; i <= THROTTLE.user.freeFailures; i++) {
      expect(await signInWithPassword(db, "hd-user", "wrong", `10.9.0.${i}`, t0)).toEqual({ ok: false, reason: "wrong" });
    }
    // the next try within the back-off is refused without checking the password, even the right one
    expect(await signInWithPassword(db, "hd-user", "right-password-1", "10.9.1.1", new Date(t0.getTime() + 500))).toEqual({
      ok: false,
      reason: "throttled",
      retryAfterSec: 1,
    });
    let at = t0.getTime();
    for (let i = THROTTLE.user.freeFailures + 1; i <= THROTTLE.user.lockAfter; i++) {
      at += 61_000;
      expect((await signInWithPassword(db, "hd-user", "wrong", "10.9.2.1", new Date(at))).ok).toBe(false);
    }
    const locked = await signInWithPassword(db, "hd-user", "right-password-1", "10.9.3.1", new Date(at + 61_000));
    expect(locked).toMatchObject({ ok: false, reason: "throttled" });
    expect((locked as { retryAfterSec: number }).retryAfterSec).toBeGreaterThan(13 * 60);
    const users = await as(admin).admin.users({ search: "hd-user" });
    expect(users[0]!.lockedUntil).toBeInstanceOf(Date);
    // after the lock the right password works again and clears the record
    expect(await signInWithPassword(db, "hd-user", "right-password-1", "10.9.3.1", new Date(at + 16 * 60_000))).toMatchObject({ ok: true });

    for (let i = 1; i <= THROTTLE.user.freeFailures; i++) await signInWithPassword(db, "nobody-here", "x", `10.8.0.${i}`, t0);
    expect(await signInWithPassword(db, "nobody-here", "x", "10.8.1.1", new Date(t0.getTime() + 100))).toMatchObject({ reason: "throttled" });
  });

  it("throttles an address that tries many names", async () => {
    const t0 = new Date("2026-12-03T11:00:00Z");
    for (let i = 0; i < THROTTLE.addr.freeFailures; i++) await signInWithPassword(db, `spray-${i}`, "x", "10.7.7.7", t0);
    expect(await signInWithPassword(db, "spray-new", "x", "10.7.7.7", new Date(t0.getTime() + 100))).toMatchObject({ reason: "throttled" });
    expect(await signInWithPassword(db, "spray-new", "x", "10.7.7.8", new Date(t0.getTime() + 100))).toEqual({ ok: false, reason: "wrong" });
  });

  it("unknown users cost the same password work as known ones", async () => {
    // known and unknown alternate, so whatever else loads the machine weighs on both alike
    const spent = { known: 0, unknown: 0 };
    const once = async (who: keyof typeof spent, username: string, i: number) => {
      const s = performance.now();
      await signInWithPassword(db, username, "not-it", null, new Date(Date.UTC(2027, 0, 1 + i)));
      spent[who] += performance.now() - s;
    };
    await once("unknown", "ghost", 0); // warm the decoy hash
    spent.unknown = 0;
    for (let i = 0; i < 8; i++) {
      await once("known", "hd-user", i);
      await once("unknown", `ghost-${i}`, i);
    }
    const { known, unknown } = spent;
    expect(unknown / known).toBeGreaterThan(0.5);
    expect(unknown / known).toBeLessThan(2);
  });

  it("a password change or reset ends the user's sessions (the session version moves)", async () => {
    const user = await db.user.findUniqueOrThrow({ where: { username: "hd-user" } });
    const actor = { id: user.id, username: user.username, role: user.role, productLineIds: [], mustChangePassword: false };
    await changeOwnPassword(db, actor, { current: "right-password-1", next: "another-password-2" });
    const after = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after.sessionVersion).toBe(user.sessionVersion + 1);
    await expect(changeOwnPassword(db, actor, { current: "wrong", next: "x".repeat(12) })).rejects.toThrow(/current password is wrong/);
    await db.$transaction((tx) => updateUser(tx, admin, { id: user.id, password: "reset-by-admin-3" }));
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).sessionVersion).toBe(user.sessionVersion + 2);
    const audit = await db.auditEntry.findMany({ where: { entityType: "User", entityId: String(user.id) } });
    expect(JSON.stringify(audit, (_, v) => (typeof v === "bigint" ? String(v) : v))).not.toMatch(/another-password-2|reset-by-admin-3/);
  });
});

describe("the bootstrap admin", () => {
  it("on a fresh install without the demo has a generated password and must change it; its API is closed until then", async () => {
    const { db: fresh } = await freshDatabase();
    const logs: string[] = [];
    const log = console.log;
    console.log = (m: string) => logs.push(m);
    try {
      await ensureSettingsAndRanges(fresh, { demo: false });
    } finally {
      console.log = log;
    }
    const adminRow = await fresh.user.findUniqueOrThrow({ where: { username: "admin" } });
    expect(adminRow.mustChangePassword).toBe(true);
    const printed = /password "([^"]+)"/.exec(logs.join("\n"))?.[1];
    expect(printed).toMatch(/^[A-Za-z0-9]{24}$/);
    expect(await signInWithPassword(fresh, "admin", "hedwig-admin", null)).toEqual({ ok: false, reason: "wrong" });
    expect(await signInWithPassword(fresh, "admin", printed!, null)).toMatchObject({ ok: true, user: { mustChangePassword: true } });
    const api = createCaller(createContext(adminRow.id, fresh));
    await expect(api.hosts.list({})).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringMatching(/choose your own password first/) });
    await api.me.changePassword({ current: printed!, next: "my-own-admin-password" });
    expect((await api.hosts.list({})).total).toBe(0);
    expect(await fresh.user.count()).toBe(1); // no demo users without the demo
  });
});

describe("webhooks", () => {
  it("cannot reach loopback or private addresses unless an ADMIN allows the range", async () => {
    const hook = { name: "inside", url: "http://127.0.104.90:9/x", format: "GENERIC" as const, enabled: true, productLineId: null };
    await expect(as(dba).monitoring.createWebhook(hook)).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/webhooks cannot reach 127.0.104.90: .*an ADMIN can allow its range/),
    });
    await expect(as(dba).monitoring.createWebhook({ ...hook, url: "http://169.254.169.254/latest/meta-data" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(as(dba).admin.setWebhookRanges({ ranges: ["127.0.104.0/24"] })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(as(admin).admin.setWebhookRanges({ ranges: ["not-a-range"] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await as(admin).admin.setWebhookRanges({ ranges: ["127.0.104.0/24"] })).toEqual(["127.0.104.0/24"]);
    const created = await as(dba).monitoring.createWebhook(hook);
    expect(created.name).toBe("inside");
    await as(admin).admin.setWebhookRanges({ ranges: [] });
    // refused again at send time once the range is gone (the send is recorded, nothing leaves)
    expect(await as(dba).monitoring.testWebhook({ id: created.id })).toMatchObject({ ok: false, error: expect.stringMatching(/webhooks cannot reach/) });
  });
});

describe("requests", () => {
  it("can be changed only by their requester and by DBAs, not by a colleague of the same line", async () => {
    const line = await db.productLine.findFirstOrThrow({ where: { code: "hard-line" } });
    const mine = await makeActor(db, "BUSINESS", [line.id]);
    const colleague = await makeActor(db, "BUSINESS", [line.id]);
    const r = await as(mine).requests.create({ form: requestForm(line.id), submit: true });
    await expect(as(colleague).requests.withdraw({ id: r.id })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringMatching(/only by its requester and by DBAs/),
    });
    await expect(as(colleague).requests.cancel({ id: r.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await db.resourceRequest.findUniqueOrThrow({ where: { id: r.id } })).status).toBe("SUBMITTED");
    expect((await as(mine).requests.withdraw({ id: r.id })).status).toBe("DRAFT");
  });
});

describe("SSH logins", () => {
  it("a changed credential keeps the pinned host key unless the DBA resets it", async () => {
    const login = { hostId, username: "root", sshPort: 22, method: "PASSWORD" as const, password: "first-password" };
    await as(dba).hosts.setCredential(login);
    await db.hostCredential.update({ where: { hostId }, data: { hostKeyFingerprint: "SHA256:pinned-at-first-login" } });
    await as(dba).hosts.setCredential({ ...login, password: "second-password" });
    expect((await as(dba).hosts.credential({ id: hostId }))?.hostKeyFingerprint).toBe("SHA256:pinned-at-first-login");
    await as(dba).hosts.setCredential({ ...login, password: "third-password", resetHostKey: true });
    expect((await as(dba).hosts.credential({ id: hostId }))?.hostKeyFingerprint).toBeNull();
    await as(dba).hosts.clearCredential({ id: hostId });
    await db.host.update({ where: { id: hostId }, data: { executor: "LOCAL" } });
  });
});
