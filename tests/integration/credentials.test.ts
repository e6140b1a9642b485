import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "../../server/api/root";
import { createContext } from "../../server/api/trpc";
import { ensureSettingsAndRanges } from "../../server/db/seed";
import type { Actor } from "../../server/domain/access/actor";
import { openUser } from "../../server/domain/credentials/store";
import { rotateJob, submitRotation } from "../../server/domain/credentials/rotate";
import { runCanaries } from "../../server/domain/health/canary";
import { pollRedis, RedisConnections } from "../../server/domain/monitoring/poll";
import { pollTargets } from "../../server/domain/monitoring/targets";
import { stopHaproxy } from "../../server/domain/lb/deploy";
import { provisionJob } from "../../server/domain/provisioning/provision-job";
import type { RequestForm } from "../../server/domain/provisioning/request-schema";
import { approveRequest, createRequest } from "../../server/domain/requests/requests";
import { runJob } from "../../server/jobs/runner";
import { freshDatabase, makeActor } from "./db";
import { createDemoHosts, useDemoDataDir } from "./demo-fleet";

/**
 * Every delivered Redis topology has passwords: real redis-server, redis-sentinel, nutcracker and
 * HAProxy on loopback (demo hosts 127.0.31.x, the delivery pool's HAProxy on 127.0.131.3).
 */
const { db } = await freshDatabase();
const demo = useDemoDataDir("credentials");
const SERVER = { ip: "127.0.131.3", executor: "LOCAL" as const };
let dba: Actor;
let biz: Actor;
let otherBiz: Actor;
let lineId: number;
let poolId: number;
const services: Record<"sentinel" | "twemproxy", number> = { sentinel: 0, twemproxy: 0 };

const noDispatch = async () => {};
const base: RequestForm = {
  productLineId: 0,
  kind: "REDIS_SENTINEL",
  purpose: "cart sessions, with passwords",
  capacityGb: 1,
  peakQps: 5000,
  expectedKeys: 100_000,
  persistence: "none",
  highAvailability: true,
  idcPreference: null,
  readRatio: 80,
};

/** RESP2 and no handshake, so one client works against Redis, Sentinel and Twemproxy alike. */
const client = (host: string, port: number, auth?: { username?: string; password: string }) =>
  new Redis({
    host,
    port,
    lazyConnect: true,
    protocol: 2,
    enableReadyCheck: false,
    disableClientInfo: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    ...auth,
  });

async function answer(host: string, port: number, auth: { username?: string; password: string } | undefined, ...command: [string, ...(string | number)[]]) {
  const r = client(host, port, auth);
  // a refused login closes the connection: its reason comes as an error event
  let cause: Error | null = null;
  r.on("error", (e: Error) => (cause ??= e));
  try {
    await r.connect();
    return String(await r.call(...command));
  } catch (e) {
    return `ERR: ${(cause ?? (e as Error)).message}`;
  } finally {
    r.disconnect();
  }
}

async function secretsOf(serviceId: number) {
  const rows = await db.serviceCredential.findMany({ where: { serviceId } });
  return Object.fromEntries(rows.map((r) => [r.kind, openUser(r)])) as Record<"APP" | "OPS" | "REPL" | "SENTINEL", { username: string; passwords: string[] }>;
}
const loginOf = (u: { username: string; passwords: string[] }, i = 0) => ({
  ...(u.username === "default" ? {} : { username: u.username }),
  password: u.passwords[i]!,
});
const instancesOf = (serviceId: number) => db.instance.findMany({ where: { serviceId }, include: { host: true }, orderBy: { id: "asc" } });

/** Every password a service ever had in this test, to grep for. */
const seen = new Set<string>();
async function remember(serviceId: number) {
  for (const u of Object.values(await secretsOf(serviceId))) for (const p of u.passwords) seen.add(p);
}

async function deliver(form: RequestForm) {
  const request = await db.$transaction((tx) => createRequest(tx, biz, { ...form, productLineId: lineId }, true));
  const job = await approveRequest(db, dba, request.id, null, noDispatch);
  expect(await runJob(db, job.id, provisionJob)).toBe("SUCCEEDED");
  const serviceId = (await db.resourceRequest.findUniqueOrThrow({ where: { id: request.id } })).serviceId!;
  await remember(serviceId);
  return serviceId;
}

beforeAll(async () => {
  await ensureSettingsAndRanges(db);
  const dept = await db.department.create({ data: { code: "trade", name: "Trade" } });
  lineId = (await db.productLine.create({ data: { code: "trade-cart", name: "Cart", departmentId: dept.id, importance: 3 } })).id;
  const otherLine = (await db.productLine.create({ data: { code: "user-profile", name: "Profile", departmentId: dept.id, importance: 2 } })).id;
  biz = await makeActor(db, "BUSINESS", [lineId]);
  otherBiz = await makeActor(db, "BUSINESS", [otherLine]);
  dba = await makeActor(db, "DBA");
  await createDemoHosts(db, { prefix: "127.0.31", idcCode: "cred", departmentId: dept.id });
  poolId = (
    await db.lbPool.create({
      data: {
        name: "delivery",
        backend: "HAPROXY",
        configPath: "/etc/hedwig-lb/delivery/haproxy.cfg",
        statsPort: 19431,
        forDelivery: true,
        vipRange: "127.0.131.80-127.0.131.89",
        servers: { create: [SERVER] },
      },
    })
  ).id;
  services.sentinel = await deliver(base);
  services.twemproxy = await deliver({ ...base, kind: "REDIS_TWEMPROXY", highAvailability: false, capacityGb: 2, peakQps: 20_000, expectedKeys: 1_000_000 });
}, 180_000);

afterAll(async () => {
  await stopHaproxy({ id: poolId }, SERVER).catch(() => {});
  demo.restore();
});

describe("delivered services refuse clients without the password", () => {
  it("every Redis, Sentinel and the Twemproxy VIP answers NOAUTH to a client without one", async () => {
    for (const serviceId of Object.values(services)) {
      for (const i of await instancesOf(serviceId)) {
        const said = await answer(
          i.host.ip,
          i.port,
          undefined,
          ...((i.role === "SENTINEL" ? ["SENTINEL", "MASTERS"] : ["SET", "k", "v"]) as [string, ...string[]]),
        );
        expect(said, `${i.role} ${i.host.ip}:${i.port}`).toMatch(/NOAUTH/);
      }
    }
    const s = await db.service.findUniqueOrThrow({ where: { id: services.twemproxy } });
    expect(s.entryHost).toMatch(/^127\.0\.131\./); // the VIP
    expect(await answer(s.entryHost!, s.entryPort!, undefined, "GET", "k")).toMatch(/NOAUTH/);
    expect(await answer(s.entryHost!, s.entryPort!, { password: "not-the-password" }, "GET", "k")).toMatch(/invalid password/);
    const app = (await secretsOf(services.twemproxy)).APP;
    expect(app.username).toBe("default");
    expect(await answer(s.entryHost!, s.entryPort!, loginOf(app), "SET", "through-the-vip", "1")).toBe("OK");
  });

  it("the application user may use data but not CONFIG, SHUTDOWN, REPLICAOF, DEBUG, FLUSHALL", async () => {
    for (const serviceId of Object.values(services)) {
      const app = (await secretsOf(serviceId)).APP;
      const master = (await instancesOf(serviceId)).find((i) => i.role === "MASTER")!;
      const run = (...c: [string, ...string[]]) => answer(master.host.ip, master.port, loginOf(app), ...c);
      expect(await run("SET", "cart:1", "2 items")).toBe("OK");
      for (const c of [["CONFIG", "SET", "dir", "/tmp"], ["SHUTDOWN", "NOSAVE"], ["REPLICAOF", "127.0.0.1", "1"], ["DEBUG", "SLEEP", "0"], ["FLUSHALL"]] as [
        string,
        ...string[],
      ][])
        expect(await run(...c), c.join(" ")).toMatch(/NOPERM|unknown command/);
      expect(await run("GET", "cart:1")).toBe("2 items");
    }
    // on a Sentinel the application only discovers the master
    const ss = await secretsOf(services.sentinel);
    const sentinel = (await instancesOf(services.sentinel)).find((i) => i.role === "SENTINEL")!;
    const name = (await db.service.findUniqueOrThrow({ where: { id: services.sentinel } })).name;
    expect(await answer(sentinel.host.ip, sentinel.port, loginOf(ss.APP), "SENTINEL", "get-master-addr-by-name", name)).toMatch(/127\.0\.31\./);
    expect(await answer(sentinel.host.ip, sentinel.port, loginOf(ss.APP), "SENTINEL", "FAILOVER", name)).toMatch(/NOPERM/);
    expect(await answer(sentinel.host.ip, sentinel.port, loginOf(ss.OPS), "SENTINEL", "CKQUORUM", name)).toMatch(/^OK/);
  });
});

describe("Hedwig logs in as its operations user", () => {
  it("the collector and the canary work against the password-protected services", async () => {
    const conns = new RedisConnections(2000);
    const targets = (await pollTargets(db)).filter((t) => t.software === "REDIS");
    expect(targets.length).toBeGreaterThan(0);
    for (const t of targets) {
      expect(t.auth?.username).toBe("hedwig-ops");
      const { row } = await pollRedis(conns, t, new Date(), undefined);
      expect(row.up, `${t.ip}:${t.port}: ${JSON.stringify(row.extra)}`).toBe(true);
    }
    conns.closeAll();
    const outcomes = await runCanaries(db, new Date());
    for (const serviceId of Object.values(services)) expect(outcomes.find((o) => o.serviceId === serviceId)).toMatchObject({ ok: true, failed: 0 });
  });
});

describe("reveal", () => {
  const caller = (actor: Actor) => appRouter.createCaller(createContext(actor.id, db));

  it("shows the application password to its product line and to DBAs, with an audit line each time; no one else", async () => {
    const before = await db.auditEntry.count({ where: { action: "credential.reveal" } });
    const shown = await caller(biz).credentials.reveal({ serviceId: services.sentinel, kind: "APP" });
    expect(shown.password).toBe((await secretsOf(services.sentinel)).APP.passwords[0]);
    await expect(caller(otherBiz).credentials.reveal({ serviceId: services.sentinel, kind: "APP" })).rejects.toThrow(/not a member/);
    await expect(caller(biz).credentials.reveal({ serviceId: services.sentinel, kind: "OPS" })).rejects.toThrow(/only DBAs/);
    expect((await caller(dba).credentials.reveal({ serviceId: services.sentinel, kind: "OPS" })).username).toBe("hedwig-ops");
    const audits = await db.auditEntry.findMany({ where: { action: "credential.reveal" }, orderBy: { id: "asc" } });
    expect(audits.length - before).toBe(2);
    expect(audits.map((a) => a.actorName)).toEqual([biz.username, dba.username]);
  });
});

describe("rotation", () => {
  it("through the VIP under 200 requests/s, no request is lost while the password changes", async () => {
    const s = await db.service.findUniqueOrThrow({ where: { id: services.twemproxy } });
    // The client as an application configured from the secret store: it logs in with the current
    // password and, refused (a proxy not moved yet), with the previous one.
    const candidates = async () => (await secretsOf(s.id)).APP.passwords;
    const first = (await candidates())[0]!;
    let password = first;
    const r = new Redis({
      host: s.entryHost!,
      port: s.entryPort!,
      password,
      protocol: 2,
      enableReadyCheck: false,
      disableClientInfo: true,
      retryStrategy: () => 20,
      maxRetriesPerRequest: 0,
    });
    r.on("error", async (e: Error) => {
      if (!/invalid password|WRONGPASS|NOAUTH/i.test(e.message)) return;
      const all = await candidates();
      password = all.find((p) => p !== password) ?? all[0]!;
      r.options.password = password;
      r.disconnect(true);
    });
    const counts = { sent: 0, ok: 0, retried: 0, lost: 0 };
    const one = async (i: number) => {
      counts.sent++;
      for (let attempt = 0; attempt < 100; attempt++) {
        try {
          await r.set(`rot:${i}`, String(i));
          if ((await r.get(`rot:${i}`)) !== String(i)) throw new Error("read back another value");
          counts.ok++;
          return;
        } catch {
          counts.retried++;
          await new Promise((res) => setTimeout(res, 20));
        }
      }
      counts.lost++;
    };
    let running = true;
    const inflight: Promise<void>[] = [];
    const t0 = Date.now();
    const load = (async () => {
      // 200 requests a second, by the clock (timers drift)
      for (let i = 0; running;) {
        for (; i < ((Date.now() - t0) / 1000) * 200; i++) inflight.push(one(i));
        await new Promise((res) => setTimeout(res, 5));
      }
    })();
    await new Promise((res) => setTimeout(res, 2000));
    const job = await submitRotation(db, dba, { serviceId: s.id, graceSec: 3 }, noDispatch);
    const started = Date.now();
    expect(await runJob(db, job.id, rotateJob)).toBe("SUCCEEDED");
    const seconds = (Date.now() - started) / 1000;
    await new Promise((res) => setTimeout(res, 2000));
    running = false;
    await load;
    await Promise.all(inflight);
    r.disconnect();
    const rate = counts.sent / ((Date.now() - t0) / 1000);
    console.log(
      `rotation through the VIP: ${counts.sent} requests (${rate.toFixed(0)}/s) over ${seconds.toFixed(1)} s of rotation and 4 s around it: ${counts.ok} ok, ${counts.retried} attempts retried, ${counts.lost} lost`,
    );
    expect(rate).toBeGreaterThanOrEqual(195);
    expect(counts.sent).toBeGreaterThan(1000);
    expect(counts.lost).toBe(0);
    expect(counts.ok).toBe(counts.sent);
    await remember(s.id);
    const after = await secretsOf(s.id);
    expect(after.APP.passwords).toHaveLength(1);
    expect(after.APP.passwords[0]).not.toBe(first);
    // the old password no longer works anywhere; the new one does, through the VIP
    for (const i of (await instancesOf(s.id)).filter((x) => x.role === "MASTER"))
      expect(await answer(i.host.ip, i.port, { password: first }, "PING")).toMatch(/WRONGPASS|invalid/);
    expect(await answer(s.entryHost!, s.entryPort!, { password: first }, "PING")).toMatch(/invalid password/);
    expect(await answer(s.entryHost!, s.entryPort!, { password: after.APP.passwords[0]! }, "GET", "rot:1")).toBe("1");
  }, 120_000);
});

describe("secrets stay secret", () => {
  it("no password appears in job logs, job state, audit rows, notifications or API answers", async () => {
    expect(seen.size).toBeGreaterThanOrEqual(9);
    const caller = (actor: Actor) => appRouter.createCaller(createContext(actor.id, db));
    const texts: unknown[] = [];
    texts.push(await db.jobLog.findMany());
    texts.push(await db.job.findMany({ select: { state: true, input: true, error: true } }));
    texts.push(await db.auditEntry.findMany());
    texts.push(await db.notification.findMany());
    texts.push(await db.resourceRequest.findMany());
    for (const serviceId of Object.values(services)) {
      texts.push(await caller(dba).services.get({ id: serviceId }));
      texts.push(await caller(dba).credentials.status({ serviceId }));
      texts.push(await caller(dba).operations.jobs({ serviceId }));
    }
    const all = JSON.stringify(texts, (_, v: unknown) => (typeof v === "bigint" ? String(v) : v));
    expect(all.length).toBeGreaterThan(1000);
    for (const p of seen) expect(all.includes(p), "a password leaked").toBe(false);
    // the sealed values are there, and only sealed
    expect((await db.serviceCredential.findFirstOrThrow()).sealed).toMatch(/^v1\./);
  });
});
