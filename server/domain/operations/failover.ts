import { text } from "../../../lib/text";
import type { DbTx } from "../../db/client";
import type { JobDefinition, JobLogger, StepContext } from "../../jobs/steps";
import { badInput, precondition } from "../errors";
import { withProxyDrained } from "../lb/drain";
import { sentinelMaster, withRedis, type RedisEndpoint } from "../provisioning/deploy/probes";
import { startTarget } from "./daemon";
import type { InstanceOpInput } from "./kinds";
import { readPool, writePool } from "./nutcracker";
import { addressOf, loadTarget, type Target } from "./target";

type State = { oldMasterId?: number; newMasterId?: number };
type Ctx = StepContext<InstanceOpInput, State>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Only a replica is promoted; its master is the one it replaces. */
export async function checkFailover(db: DbTx, t: Target): Promise<Target> {
  if (t.inst.role !== "REPLICA" || !t.inst.masterId) {
    throw badInput(text("errors.domain.ops.notReplica", { label: t.label, role: t.inst.role.toLowerCase() }));
  }
  return loadTarget(db, t.inst.masterId);
}

async function sentinelsOf(db: DbTx, serviceId: number) {
  const rows = await db.instance.findMany({ where: { serviceId, role: "SENTINEL" }, orderBy: { id: "asc" }, select: { id: true } });
  return Promise.all(rows.map((r) => loadTarget(db, r.id)));
}

/** The name the Sentinels know the shard by, as provisioning wrote it: the service, or service-shard when sharded. */
export async function monitoredName(db: DbTx, t: Target) {
  const shards = await db.instance.findMany({ where: { serviceId: t.inst.serviceId, role: "MASTER" }, select: { id: true } });
  return shards.length === 1 ? t.inst.service.name : `${t.inst.service.name}-${t.inst.shardIndex}`;
}

/** What a Sentinel knows of the shard's replicas (address and flags), for a refusal's message. */
async function replicasSeen(s: Target, name: string): Promise<string> {
  const rows = (await withRedis(s, (r) => r.call("SENTINEL", "REPLICAS", name)).catch(() => [])) as string[][];
  const described = rows.map((row) => {
    const f = new Map<string, string>();
    for (let i = 0; i + 1 < row.length; i += 2) f.set(row[i]!, row[i + 1]!);
    return `${f.get("name")} (${f.get("flags")}, link ${f.get("master-link-status")})`;
  });
  return described.length > 0 ? `the replicas ${described.join(", ")}` : "no replica";
}

/** Asks a Sentinel to fail over and waits until every Sentinel that answers names the new master. */
async function viaSentinel(ctx: Ctx, sentinels: Target[], name: string, old: Target): Promise<string> {
  const reported = () => Promise.all(sentinels.map((s) => sentinelMaster(s, name).catch(() => null)));
  // A resumed job finds the failover already done and only waits for the Sentinels to agree.
  if (!(await reported()).some((a) => a !== null && a !== old.address)) {
    const deadline = Date.now() + 15_000;
    for (let i = 0; ; i++) {
      const s = sentinels[i % sentinels.length]!;
      try {
        await withRedis(s, (r) => r.call("SENTINEL", "FAILOVER", name));
        await ctx.log.info(text("jobs.log.failover.sentinelAccepted", { address: s.address, name }));
        break;
      } catch (e) {
        // NOGOODSLAVE: the Sentinels have not yet seen a healthy replica (it just restarted, say).
        if (Date.now() > deadline)
          throw new Error(`no Sentinel of ${name} would fail over: ${message(e)}; Sentinel ${s.address} sees ${await replicasSeen(s, name)}`);
        await ctx.log.warn(text("jobs.log.failover.sentinelRetry", { address: s.address, why: message(e) }));
        await sleep(1000);
      }
    }
  }
  const until = Date.now() + 30_000;
  let last: (string | null)[] = [];
  while (Date.now() < until) {
    last = await reported();
    const answering = last.filter((a): a is string => a !== null);
    if (answering.length > 0 && answering.every((a) => a === answering[0] && a !== old.address)) return answering[0]!;
    await sleep(300);
  }
  throw new Error(`the Sentinels of ${name} did not agree on a new master within 30 s: they report ${last.map((a) => a ?? "no answer").join(", ")}`);
}

/** Points a Redis at a master, live and in its config (or, when it does not answer, in its redis.conf for its next start). */
async function replicate(log: JobLogger, t: Target, master: Target) {
  try {
    await withRedis(t, async (r) => {
      await r.call("REPLICAOF", master.ip, String(master.port));
      await r.call("CONFIG", "REWRITE");
    });
    await log.info(text("jobs.log.failover.nowReplicates", { address: t.address, master: master.address }));
  } catch (e) {
    const line = await writeReplicaof(t, master);
    await log.warn(text("jobs.log.failover.oldMasterDown", { address: t.address, why: message(e), line }));
  }
}

/** Sets (or adds) the `replicaof` line of a stopped Redis's redis.conf, for its next start. */
export async function writeReplicaof(t: Pick<Target, "exec" | "layout">, master: { ip: string; port: number }): Promise<string> {
  const conf = await t.exec.readFile(t.layout.confFile);
  const line = `replicaof ${master.ip} ${master.port}`;
  await t.exec.writeFile(t.layout.confFile, /^replicaof .*$/m.test(conf) ? conf.replace(/^replicaof .*$/m, line) : `${conf.trimEnd()}\n${line}\n`);
  return line;
}

/** Without Sentinel: the replica stops replicating, and the old master and the other replicas follow it. */
async function viaReplicaof(ctx: Ctx, replica: Target, old: Target): Promise<string> {
  await withRedis(replica, async (r) => {
    await r.call("REPLICAOF", "NO", "ONE");
    await r.call("CONFIG", "REWRITE");
  });
  await ctx.log.info(text("jobs.log.failover.replicaOfNoOne", { address: replica.address }));
  const others = await ctx.db.instance.findMany({ where: { masterId: old.inst.id, id: { not: replica.inst.id } }, select: { id: true } });
  for (const t of [old, ...(await Promise.all(others.map((o) => loadTarget(ctx.db, o.id))))]) await replicate(ctx.log, t, replica);
  return replica.address;
}

async function waitMaster(e: RedisEndpoint) {
  const { ip, port } = e;
  const until = Date.now() + 10_000;
  let info = "";
  while (Date.now() < until) {
    info = await withRedis(e, (r) => r.info("replication")).catch((e: Error) => e.message);
    if (/^role:master/m.test(info)) return;
    await sleep(200);
  }
  throw new Error(`${ip}:${port} does not report role:master after 10 s (${/^role:\w+/m.exec(info)?.[0] ?? info})`);
}

export const failoverJob: JobDefinition<InstanceOpInput, State> = {
  kind: "instance.failover",
  steps: [
    {
      name: text("jobs.steps.failover.check"),
      run: async (ctx) => {
        const replica = await loadTarget(ctx.db, ctx.input.instanceId);
        const old = await checkFailover(ctx.db, replica);
        const info = await withRedis(replica, (r) => r.info("replication")).catch((e: Error) => {
          throw precondition(text("refusals.jobs.replicaSilent", { label: replica.label, why: e.message }));
        });
        const link = /^master_link_status:(\w+)/m.exec(info)?.[1] ?? "unknown";
        await ctx.log.info(
          text("jobs.log.failover.replicaState", {
            label: replica.label,
            master: old.address,
            link,
            offset: /^slave_repl_offset:(\d+)/m.exec(info)?.[1] ?? "?",
          }),
        );
        await ctx.save({ oldMasterId: old.inst.id, newMasterId: replica.inst.id });
      },
    },
    {
      name: text("jobs.steps.failover.promote"),
      run: async (ctx) => {
        const replica = await loadTarget(ctx.db, ctx.input.instanceId);
        const old = await loadTarget(ctx.db, ctx.state.oldMasterId!);
        const sentinels = await sentinelsOf(ctx.db, replica.inst.serviceId);
        const promoted =
          sentinels.length > 0 ? await viaSentinel(ctx, sentinels, await monitoredName(ctx.db, replica), old) : await viaReplicaof(ctx, replica, old);
        const [ip, port] = promoted.split(":");
        await waitMaster({ ip: ip!, port: Number(port), auth: replica.auth });
        const chosen = await ctx.db.instance.findFirstOrThrow({ where: { serviceId: replica.inst.serviceId, host: { ip }, port: Number(port) } });
        if (chosen.id !== replica.inst.id) await ctx.log.warn(text("jobs.log.failover.sentinelsChose", { chosen: promoted, address: replica.address }));
        await ctx.save({ newMasterId: chosen.id });
        await ctx.log.info(text("jobs.log.failover.isMaster", { address: promoted }));
      },
    },
    {
      name: text("jobs.steps.failover.proxies"),
      run: async (ctx) => {
        const old = await loadTarget(ctx.db, ctx.state.oldMasterId!);
        const promoted = await loadTarget(ctx.db, ctx.state.newMasterId!);
        const proxies = await ctx.db.instance.findMany({
          where: { serviceId: old.inst.serviceId, role: "PROXY" },
          orderBy: { id: "asc" },
          select: { id: true },
        });
        if (proxies.length === 0) return ctx.log.info(text("jobs.log.failover.noProxy"));
        // Twemproxy cannot follow a failover: each proxy gets the new address under the shard's same
        // server name (the name places keys) and restarts, one after the other so the rest keep
        // serving, out of its VIPs meanwhile so no new client lands on it.
        for (const { id } of proxies) {
          const p = await loadTarget(ctx.db, id);
          const pool = await readPool(p);
          if (!pool.servers.some((s) => s.ip === old.ip && s.port === old.port)) continue;
          await writePool(p, {
            ...pool,
            servers: pool.servers.map((s) => (s.ip === old.ip && s.port === old.port ? { ...s, ip: promoted.ip, port: promoted.port } : s)),
          });
          if (p.inst.state === "STOPPED") {
            await ctx.log.info(text("jobs.log.failover.proxyConfigUpdated", { label: p.label }));
            continue;
          }
          await withProxyDrained(ctx.db, p, ctx.log, async () => {
            await p.exec.stopDaemon(p.layout.pidFile);
            await startTarget(ctx.db, ctx.log, p);
          });
          await ctx.log.info(text("jobs.log.failover.proxyRoutes", { label: p.label, old: old.address, address: promoted.address }));
        }
      },
    },
    {
      name: text("jobs.steps.failover.catalogue"),
      run: async (ctx) => {
        const oldId = ctx.state.oldMasterId!;
        const newId = ctx.state.newMasterId!;
        const [old, promoted] = await Promise.all([loadTarget(ctx.db, oldId), loadTarget(ctx.db, newId)]);
        await ctx.db.$transaction(async (tx) => {
          await tx.instance.updateMany({ where: { masterId: oldId }, data: { masterId: newId } });
          await tx.instance.update({ where: { id: newId }, data: { role: "MASTER", masterId: null } });
          await tx.instance.update({ where: { id: oldId }, data: { role: "REPLICA", masterId: newId } });
          const s = old.inst.service;
          if (s.entryHost === old.ip && s.entryPort === old.port)
            await tx.service.update({ where: { id: s.id }, data: { entryHost: promoted.ip, entryPort: promoted.port } });
        });
        await ctx.log.info(text("jobs.log.failover.catalogue", { master: addressOf(promoted.inst), replica: addressOf(old.inst) }));
      },
    },
  ],
};
