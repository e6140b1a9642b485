import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "../../server/api/root";
import { createContext } from "../../server/api/trpc";
import type { Db } from "../../server/db/client";
import { ensureSettingsAndRanges } from "../../server/db/seed";
import type { Actor } from "../../server/domain/access/actor";
import { keyAnalysisJob } from "../../server/domain/keys/job";
import { latestKeyAnalysis, submitKeyAnalysis } from "../../server/domain/keys/keys";
import { provisionJob } from "../../server/domain/provisioning/provision-job";
import type { RequestForm } from "../../server/domain/provisioning/request-schema";
import { approveRequest, createRequest } from "../../server/domain/requests/requests";
import { runJob } from "../../server/jobs/runner";
import { freshDatabase, makeActor } from "./db";
import { createDemoHosts, loginAt, useDemoDataDir } from "./demo-fleet";

/**
 * Key analysis on real processes: a Redis service behind Twemproxy (shards with replicas) is delivered
 * on this test's own hosts (127.0.171.x); shard 0's master gets a 100k-field hash, a 5 MB string and
 * filler keys, an LFU policy and one key read thousands of times. The job samples on the linked
 * replica at a bounded rate: the big keys come out on top, the hot key first, and the rate holds.
 */
let db: Db;
let dba: Actor;
let noc: Actor;
let serviceId = 0;
let demoDir: ReturnType<typeof useDemoDataDir>;
const noDispatch = async () => {};
const FILLER = 10_000;
const RATE = 5000;

beforeAll(async () => {
  demoDir = useDemoDataDir("keys");
  ({ db } = await freshDatabase());
  await ensureSettingsAndRanges(db);
  const dept = await db.department.create({ data: { code: "ka", name: "Keys" } });
  const line = await db.productLine.create({ data: { code: "ka-a", name: "ka-a", departmentId: dept.id, importance: 3 } });
  const biz = await makeActor(db, "BUSINESS", [line.id]);
  dba = await makeActor(db, "DBA");
  noc = await makeActor(db, "NOC");
  await createDemoHosts(db, { prefix: "127.0.171", idcCode: "k1", departmentId: dept.id });
  const form: RequestForm = {
    productLineId: line.id,
    kind: "REDIS_TWEMPROXY",
    purpose: "key analysis under test",
    capacityGb: 20,
    peakQps: 100000,
    expectedKeys: 50_000_000,
    persistence: "none",
    highAvailability: true,
    idcPreference: null,
    readRatio: 80,
  };
  const request = await db.$transaction((tx) => createRequest(tx, biz, form, true));
  const job = await approveRequest(db, dba, request.id, null, noDispatch);
  expect(await runJob(db, job.id, provisionJob)).toBe("SUCCEEDED");
  serviceId = (await db.resourceRequest.findUniqueOrThrow({ where: { id: request.id } })).serviceId!;
}, 180_000);

afterAll(() => demoDir?.restore());

async function client(ip: string, port: number): Promise<Redis> {
  const r = new Redis({ host: ip, port, ...(await loginAt(db, ip, port)), lazyConnect: true, protocol: 2, enableReadyCheck: false, maxRetriesPerRequest: 1 });
  await r.connect();
  return r;
}

const cpuSeconds = async (r: Redis) => {
  const info = await r.info("cpu");
  return Number(/used_cpu_sys:([\d.]+)/.exec(info)![1]) + Number(/used_cpu_user:([\d.]+)/.exec(info)![1]);
};

describe("key analysis", () => {
  it("finds the planted big keys on the replica and the hammered key under LFU, within the rate limit", async () => {
    const instances = await db.instance.findMany({ where: { serviceId, software: "REDIS", shardIndex: 0 }, include: { host: true } });
    const masterRow = instances.find((i) => i.role === "MASTER")!;
    const replicaRow = instances.find((i) => i.role === "REPLICA")!;
    const master = await client(masterRow.host.ip, masterRow.port);
    const replica = await client(replicaRow.host.ip, replicaRow.port);
    try {
      // the DBA's choice: hot keys need an LFU policy (Hedwig does not change it for an analysis)
      await master.config("SET", "maxmemory-policy", "allkeys-lfu");
      const fields: string[] = [];
      for (let i = 0; i < 100_000; i++) fields.push(`f${i}`, "v");
      for (let i = 0; i < fields.length; i += 20_000) await master.hset("big:hash", ...fields.slice(i, i + 20_000));
      await master.set("big:string", "x".repeat(5 * 1024 * 1024));
      const p = master.pipeline();
      for (let i = 0; i < FILLER; i++) p.set(`filler:${i}`, "v");
      await p.exec();
      await master.set("hot:key", "1");
      const hammer = master.pipeline();
      for (let i = 0; i < 5000; i++) hammer.get("hot:key");
      await hammer.exec();
      // the replica has everything before the job reads it
      const offset = async (r: Redis, field: string) => Number(new RegExp(`${field}:(\\d+)`).exec(await r.info("replication"))![1]);
      const want = await offset(master, "master_repl_offset");
      for (let i = 0; i < 100 && (await offset(replica, "slave_repl_offset")) < want; i++) await new Promise((r) => setTimeout(r, 100));

      const cpuBefore = await cpuSeconds(replica);
      const masterCpuBefore = await cpuSeconds(master);
      const { jobId } = await submitKeyAnalysis(db, dba, serviceId, { keysPerSecond: RATE, top: 10 }, noDispatch);
      expect(await runJob(db, jobId, keyAnalysisJob), (await db.job.findUnique({ where: { id: jobId } }))?.error ?? "").toBe("SUCCEEDED");
      const cpu = (await cpuSeconds(replica)) - cpuBefore;
      // the master answers only OBJECT FREQ (hot keys), one O(1) read per key
      const masterCpu = (await cpuSeconds(master)) - masterCpuBefore;

      const { analysis } = await latestKeyAnalysis(db, noc, serviceId);
      expect(analysis?.status).toBe("SUCCEEDED");
      expect(analysis!.sampledAt).toBeInstanceOf(Date);
      const s0 = analysis!.shards.find((s) => s.shard === 0)!;
      expect(s0.role).toBe("REPLICA");
      expect(s0.source).toBe(`${replicaRow.host.ip}:${replicaRow.port}`);
      expect(s0.scanned).toBeGreaterThanOrEqual(FILLER + 3);
      expect(s0.bySize[0]).toMatchObject({ key: "big:string", type: "string", elements: 5 * 1024 * 1024 });
      expect(s0.bySize[0]!.bytes).toBeGreaterThan(5_000_000);
      expect(s0.bySize[1]).toMatchObject({ key: "big:hash", type: "hash" });
      expect(s0.byElements[0]).toMatchObject({ key: "big:string", elements: 5 * 1024 * 1024 });
      expect(s0.byElements[1]).toMatchObject({ key: "big:hash", elements: 100_000 });
      expect(s0.policy).toBe("allkeys-lfu");
      expect(s0.hot?.[0]).toMatchObject({ key: "hot:key", type: "string" });
      expect(s0.hot![0]!.freq).toBeGreaterThan(s0.hot![1]!.freq);
      // the rate limit held (a little over is the last batch, which has no pause after it)
      const rate = s0.scanned / s0.seconds;
      expect(rate).toBeLessThan(RATE * 1.1);
      // the other shards keep their default policy: no hot keys, said in words on the page
      for (const s of analysis!.shards.filter((x) => x.shard !== 0)) expect(s.hot).toBeNull();
      console.log(
        JSON.stringify({
          name: "key-analysis",
          keys: s0.scanned,
          seconds: s0.seconds,
          keysPerSecond: Math.round(rate),
          limit: RATE,
          replicaCpuSeconds: Number(cpu.toFixed(3)),
          replicaCpuPercent: Number(((cpu / s0.seconds) * 100).toFixed(1)),
          masterCpuPercent: Number(((masterCpu / s0.seconds) * 100).toFixed(1)),
        }),
      );
      const audit = await db.auditEntry.findFirst({ where: { action: "service.keyAnalysis", entityId: String(serviceId) } });
      expect(audit?.summary).toMatch(/5000 keys\/s/);
    } finally {
      master.disconnect();
      replica.disconnect();
    }
  }, 120_000);

  it("lets a NOC read the analysis but not start one", async () => {
    const read = await createCaller(createContext(noc.id, db)).keys.latest({ serviceId });
    expect(read.analysis?.status).toBe("SUCCEEDED");
    await expect(createCaller(createContext(noc.id, db)).keys.analyse({ serviceId, keysPerSecond: 1000, top: 5 })).rejects.toThrow();
    // the rate is bounded: a DBA cannot ask for a rate that would load the service
    await expect(createCaller(createContext(dba.id, db)).keys.analyse({ serviceId, keysPerSecond: 1_000_000, top: 5 })).rejects.toThrow(/keys per second/);
  });
});
