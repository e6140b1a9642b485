import { text } from "../../../lib/text";
import type { InstanceRole } from "../../../generated/prisma/enums";
import type { DbTx } from "../../db/client";
import type { JobDefinition, StepContext } from "../../jobs/steps";
import { loadActor, type Actor } from "../access/actor";
import { loadServiceSecrets, opsAuth } from "../credentials/store";
import { badInput, notFound, precondition } from "../errors";
import { withProxyDrained } from "../lb/drain";
import { startTarget } from "../operations/daemon";
import { readPool, writePool } from "../operations/nutcracker";
import { deleteInstanceRow } from "../operations/remove";
import { loadTarget } from "../operations/target";
import { linkDemoBinary } from "../provisioning/deploy/commands";
import { dataDir, executorFor } from "../provisioning/deploy/executors";
import { waitReplicaLinked, withRedis } from "../provisioning/deploy/probes";
import { buildTopology, type Placed } from "../provisioning/deploy/topology";
import type { RequestForm } from "../provisioning/request-schema";
import { commitAllocation, place, releaseAllocation, type PlaceInput } from "../scheduler/store/allocations";
import { localRuntimeSocketsGlob } from "../lb/deploy";
import { resizedNames, type Shard } from "./moves";
import { dropForeignKeys, KeyMover, type MoveProgress } from "./mover";

export const RESHARD_KIND = "service.reshard";

export type ReshardInput = { serviceId: number; shards: number };
export type ReshardState = {
  from?: Shard[];
  to?: Shard[];
  allocationId?: string;
  /** the new shards' masters and replicas, as the scheduler placed them */
  placed?: Placed[];
  started?: string[];
  /** the proxies route by `to` */
  switched?: boolean;
  /** keys moved / total, rate, time left: the page's progress bar */
  progress?: MoveProgress & { pauseMs?: number };
};
type Ctx = StepContext<ReshardInput, ReshardState>;

/** Data may fill at most this share of the shards that stay: a shrink that leaves less room is refused. */
const SHRINK_FILL = 0.8;
const MB = 1024 * 1024;
const key = (d: { ip: string; port: number }) => `${d.ip}:${d.port}`;

/** A resize the service can take: a Twemproxy Redis service Hedwig deployed, a new shard count that holds its data. */
export async function checkReshard(db: DbTx, serviceId: number, shards: number) {
  const service = await db.service.findUnique({
    where: { id: serviceId },
    include: { instances: { include: { host: true }, orderBy: [{ shardIndex: "asc" }, { id: "asc" }] }, productLine: true },
  });
  if (!service) throw notFound(text("errors.domain.notFound.service", { id: serviceId }));
  if (service.kind !== "REDIS_TWEMPROXY") throw badInput(text("reshard.errors.notTwemproxy", { service: service.name }));
  if (service.isDemo || service.adopted) throw precondition(text("reshard.errors.notDeployed", { service: service.name }));
  const masters = service.instances.filter((i) => i.role === "MASTER");
  const proxies = service.instances.filter((i) => i.role === "PROXY");
  if (!Number.isInteger(shards) || shards < 1 || shards > 256) throw badInput(text("reshard.errors.shardCount", { shards }));
  if (shards === masters.length) throw badInput(text("reshard.errors.sameSize", { service: service.name, shards }));
  if (proxies.length === 0) throw precondition(text("errors.domain.ops.noProxyLeft", { service: service.name }));
  const auth = await opsAuth(db, serviceId);
  const used = await Promise.all(
    masters.map((m) =>
      withRedis({ ip: m.host.ip, port: m.port, auth }, async (r) => ({
        bytes: Number(/^used_memory:(\d+)/m.exec(await r.info("memory"))?.[1] ?? 0),
        keys: Number(await r.dbsize()),
      })).catch((e: Error) => {
        throw precondition(text("errors.domain.ops.silent", { label: `redis ${m.host.ip}:${m.port}`, why: e.message }));
      }),
    ),
  );
  const perShardMb = masters[0]?.maxmemoryMb ?? 0;
  const usedMb = Math.ceil(used.reduce((n, u) => n + u.bytes, 0) / MB);
  const keys = used.reduce((n, u) => n + u.keys, 0);
  if (shards < masters.length && usedMb > shards * perShardMb * SHRINK_FILL) {
    throw badInput(
      text("reshard.errors.tooSmall", {
        service: service.name,
        shards,
        usedMb,
        keys,
        perShardMb,
        roomMb: Math.floor(shards * perShardMb * SHRINK_FILL),
        fill: SHRINK_FILL * 100,
      }),
    );
  }
  const replicas = masters.length ? service.instances.filter((i) => i.role === "REPLICA").length / masters.length : 0;
  return { service, masters, proxies, replicas: Math.round(replicas), perShardMb, usedMb, keys, auth };
}

/** The scheduler query for the new shards: as the service's masters are specified, with as many replicas each. */
export function placeInputForShards(
  c: Awaited<ReturnType<typeof checkReshard>>,
  added: number,
  owner: { ownerRef: string | null; dryRun: boolean },
): PlaceInput {
  const m = c.masters[0]!;
  return {
    spec: { cpuCores: m.cpuCores, memoryMb: m.memoryMb, diskGb: m.diskGb, bandwidthMbps: m.bandwidthMbps },
    idcIds: null,
    selector: "",
    importance: c.service.productLine.importance,
    productLineId: c.service.productLineId,
    departmentId: c.service.productLine.departmentId,
    replicas: 1 + c.replicas,
    crossIdc: false,
    hostCap: null,
    hostIds: null,
    shards: added,
    strategy: "spread",
    preferredIdcId: null,
    software: "REDIS",
    purpose: `resize of ${c.service.name}: ${added} new shard(s)`,
    ownerRef: owner.ownerRef,
    serviceId: c.service.id,
    role: undefined,
    ttlSeconds: 3600,
    dryRun: owner.dryRun,
  };
}

async function actorOf(ctx: Ctx): Promise<Actor> {
  const job = await ctx.db.job.findUniqueOrThrow({ where: { id: ctx.jobId } });
  const actor = job.createdById ? await loadActor(ctx.db, job.createdById) : null;
  if (!actor) throw precondition(text("jobErrors.reshard.actorGone"));
  return actor;
}

/** The new shards' daemons with their files, rebuilt from the saved placement. */
async function newShards(ctx: Ctx) {
  const service = await ctx.db.service.findUniqueOrThrow({ where: { id: ctx.input.serviceId }, include: { instances: { where: { role: "MASTER" } } } });
  const request = await ctx.db.resourceRequest.findFirst({ where: { serviceId: service.id }, orderBy: { id: "desc" } });
  const persistence = (request?.form as RequestForm | undefined)?.persistence ?? "rdb";
  const version = service.instances[0]!.version;
  const hosts = await ctx.db.host.findMany({ where: { id: { in: (ctx.state.placed ?? []).map((p) => p.hostId) } } });
  const executors = new Map(await Promise.all(hosts.map(async (h) => [h.ip, await executorFor(ctx.db, h, dataDir())] as const)));
  const all = buildTopology({
    service: service.name,
    kind: "REDIS_TWEMPROXY",
    persistence,
    perShardMemoryMb: service.instances[0]!.maxmemoryMb ?? 0,
    sentinelQuorum: 1,
    versions: { REDIS: version, REDIS_SENTINEL: version, MEMCACHED: version, TWEMPROXY: version },
    placed: ctx.state.placed ?? [],
    resolve: (ip, hostPath) => executors.get(ip)!.resolve(hostPath),
    lbSocketsGlob: localRuntimeSocketsGlob(),
    runAsUser: null,
    credentials: await loadServiceSecrets(ctx.db, service.id),
  });
  return { all, exec: (ip: string) => executors.get(ip)! };
}

/** Rewrites every proxy's pool to this layout and restarts it, out of its VIPs meanwhile. */
async function pointProxies(ctx: Ctx, layout: Shard[]) {
  const proxies = await ctx.db.instance.findMany({ where: { serviceId: ctx.input.serviceId, role: "PROXY" }, orderBy: { id: "asc" }, select: { id: true } });
  for (const { id } of proxies) {
    const p = await loadTarget(ctx.db, id);
    const pool = await readPool(p);
    await writePool(p, { ...pool, servers: layout });
    if (p.inst.state === "STOPPED") continue;
    await withProxyDrained(ctx.db, p, ctx.log, async () => {
      await p.exec.stopDaemon(p.layout.pidFile);
      await startTarget(ctx.db, ctx.log, p);
    });
    await ctx.log.info(text("reshard.log.proxySwitched", { label: p.label, shards: layout.length }));
  }
}

/**
 * The Sentinels beside the proxies watch every shard by its name (they fail a master over and make
 * the proxies follow): a new shard is added to each with the same quorum as the first shard and
 * Hedwig's Sentinel login; a retired one is removed. The follow-failover script cannot be set at
 * runtime (Redis refuses script changes through SENTINEL SET), so it reaches new shards at the
 * Sentinels' next redeploy.
 */
async function watchShards(ctx: Ctx, shards: Shard[], watch: boolean) {
  if (shards.length === 0) return;
  const sentinels = await ctx.db.instance.findMany({ where: { serviceId: ctx.input.serviceId, role: "SENTINEL" }, select: { id: true } });
  const secrets = await loadServiceSecrets(ctx.db, ctx.input.serviceId);
  for (const { id } of sentinels) {
    const t = await loadTarget(ctx.db, id);
    await withRedis(t, async (r) => {
      for (const s of shards) {
        if (!watch) {
          await r.call("SENTINEL", "REMOVE", s.name).catch(() => undefined);
          continue;
        }
        // the quorum the service's shards already have (a one-shard service's master is watched under the service's name)
        const [info] = (await r.call("SENTINEL", "MASTERS")) as string[][];
        const quorum = info?.[info.indexOf("quorum") + 1] ?? "2";
        await r.call("SENTINEL", "REMOVE", s.name).catch(() => undefined);
        await r.call("SENTINEL", "MONITOR", s.name, s.ip, String(s.port), quorum);
        if (secrets) await r.call("SENTINEL", "SET", s.name, "auth-user", secrets.SENTINEL.username, "auth-pass", secrets.SENTINEL.passwords[0]!);
      }
    });
    await ctx.log.info(
      text(watch ? "reshard.log.sentinelWatches" : "reshard.log.sentinelForgets", { address: t.address, names: shards.map((s) => s.name).join(", ") }),
    );
  }
}

/** Moves the keys `from` → `to` with the clients on, saving the progress on the job once a second. */
async function move(ctx: Ctx, from: Shard[], to: Shard[], auth: Awaited<ReturnType<typeof opsAuth>>) {
  const mover = new KeyMover(from, to, { auth, onProgress: (p) => ctx.save({ progress: p }) });
  try {
    await mover.open();
    await mover.copy();
    await ctx.log.info(text("reshard.log.copied", { moved: mover.moved }));
    const { lastKeys, pauseMs } = await mover.cutover(
      () => pointProxies(ctx, to),
      () => pointProxies(ctx, from),
    );
    await ctx.save({ progress: { moved: mover.moved, total: mover.moved, ratePerSec: ctx.state.progress?.ratePerSec ?? 0, etaSec: 0, pauseMs } });
    await ctx.log.info(text("reshard.log.cutover", { lastKeys, pauseMs }));
  } finally {
    await mover.close();
  }
}

/** The shards of `to` that `from` does not have. */
const added = (ctx: Ctx) => (ctx.state.to ?? []).filter((t) => !ctx.state.from!.some((f) => f.name === t.name));

/** Fails the step named in HEDWIG_RESHARD_FAIL_AT: the tests' way to check each step's undo on real processes. */
function injected(step: string) {
  if (process.env.HEDWIG_RESHARD_FAIL_AT === step) throw new Error(`injected failure at ${step}`);
}

export const reshardJob: JobDefinition<ReshardInput, ReshardState> = {
  kind: RESHARD_KIND,
  steps: [
    {
      name: text("reshard.steps.check"),
      run: async (ctx) => {
        const c = await checkReshard(ctx.db, ctx.input.serviceId, ctx.input.shards);
        if (!ctx.state.from) {
          const pool = await readPool(await loadTarget(ctx.db, c.proxies[0]!.id));
          const from = pool.servers.map((s) => ({ ...s, name: s.name }));
          await ctx.save({ from });
        }
        await ctx.log.info(text("reshard.log.size", { service: c.service.name, from: c.masters.length, to: ctx.input.shards, usedMb: c.usedMb, keys: c.keys }));
        injected("check");
      },
    },
    {
      name: text("reshard.steps.place"),
      run: async (ctx) => {
        const from = ctx.state.from!;
        const names = resizedNames((await ctx.db.service.findUniqueOrThrow({ where: { id: ctx.input.serviceId } })).name, from.length, ctx.input.shards);
        if (names.added.length === 0) {
          await ctx.save({ to: from.filter((s) => !names.retired.includes(s.name)), placed: [] });
          return;
        }
        if (!ctx.state.allocationId) {
          const c = await checkReshard(ctx.db, ctx.input.serviceId, ctx.input.shards);
          const r = await place(ctx.db, await actorOf(ctx), placeInputForShards(c, names.added.length, { ownerRef: `job:${ctx.jobId}`, dryRun: false }));
          const placed: Placed[] = r.items.map((it) => ({
            role: it.role,
            software: "REDIS",
            shardIndex: from.length + it.shardIndex,
            replicaIndex: it.replicaIndex,
            hostId: it.hostId,
            ip: it.ip,
            port: it.port,
          }));
          await ctx.save({ allocationId: r.allocationId!, placed });
          await ctx.log.info(text("reshard.log.placed", { summary: r.summary, ports: [...new Set(r.items.map((i) => i.port))].join(", ") }));
        }
        const masters = (ctx.state.placed ?? []).filter((p) => p.role === "MASTER").sort((a, b) => a.shardIndex - b.shardIndex);
        await ctx.save({ to: [...from, ...masters.map((m, i) => ({ name: names.added[i]!, ip: m.ip, port: m.port, weight: 1 }))] });
        injected("place");
      },
      undo: async (ctx) => {
        if (ctx.state.allocationId) await releaseAllocation(ctx.db, await actorOf(ctx), ctx.state.allocationId);
        await ctx.save({ allocationId: undefined, placed: [], to: undefined });
      },
    },
    {
      name: text("reshard.steps.deploy"),
      run: async (ctx) => {
        const { all, exec } = await newShards(ctx);
        for (const role of ["MASTER", "REPLICA"] as InstanceRole[])
          for (const d of all.filter((x) => x.role === role)) {
            const e = exec(d.ip);
            if (!(ctx.state.started ?? []).includes(key(d))) {
              for (const dir of d.layout.dirs) await e.mkdirp(dir);
              await linkDemoBinary(e, d.software, d.layout);
              await e.writeFile(d.layout.confFile, d.conf);
              const pid = await e.startDaemon(`redis ${key(d)}`, [e.resolve(d.layout.binary), ...d.args], {
                pidFile: d.layout.pidFile,
                logFile: d.layout.logFile,
              });
              await ctx.save({ started: [...(ctx.state.started ?? []), key(d)] });
              if (!(await e.isListening(d.ip, d.port, 10_000)))
                throw precondition(text("jobErrors.daemon.softwareNotListening", { software: "redis", address: key(d), pid: String(pid) }));
              await ctx.log.info(text("jobs.log.provision.daemonStarted", { software: "redis", role: d.role.toLowerCase(), address: key(d), pid }));
            }
          }
        const auth = await opsAuth(ctx.db, ctx.input.serviceId);
        for (const r of all.filter((d) => d.role === "REPLICA")) await waitReplicaLinked({ ip: r.ip, port: r.port, auth }, 20_000);
        injected("deploy");
      },
      undo: async (ctx) => {
        const { all, exec } = await newShards(ctx);
        for (const d of [...all].reverse()) {
          const e = exec(d.ip);
          await e.stopDaemon(d.layout.pidFile);
          for (const p of [d.layout.confFile, d.layout.dataDir, d.layout.logFile, d.layout.pidFile]) await e.remove(p);
        }
        await ctx.save({ started: [] });
      },
    },
    {
      name: text("reshard.steps.move"),
      run: async (ctx) => {
        const auth = await opsAuth(ctx.db, ctx.input.serviceId);
        if (!ctx.state.switched) {
          await move(ctx, ctx.state.from!, ctx.state.to!, auth);
          await ctx.save({ switched: true });
        }
        injected("move");
      },
      undo: async (ctx) => {
        const auth = await opsAuth(ctx.db, ctx.input.serviceId);
        const from = ctx.state.from!;
        const to = ctx.state.to ?? from;
        if (ctx.state.switched) {
          // the new owners took writes since the switch: they move back the same way
          await move(ctx, to, from, auth);
          await ctx.save({ switched: false });
        } else {
          // nothing routes by the new layout: only the copies are to go
          await pointProxies(ctx, from);
        }
        // every shard of the new layout drops what the old one does not route to it
        const dropped = await dropForeignKeys(to, from, auth);
        await ctx.log.info(text("reshard.log.copiesDropped", { dropped }));
      },
    },
    {
      name: text("reshard.steps.catalogue"),
      run: async (ctx) => {
        const retired = ctx.state.from!.filter((f) => !ctx.state.to!.some((t) => t.name === f.name));
        await ctx.db.$transaction(async (tx) => {
          const masters = new Map<number, number>();
          for (const role of ["MASTER", "REPLICA"] as InstanceRole[])
            for (const p of (ctx.state.placed ?? []).filter((x) => x.role === role)) {
              if (await tx.instance.findUnique({ where: { hostId_port: { hostId: p.hostId, port: p.port } } })) continue;
              const model = await tx.instance.findFirstOrThrow({ where: { serviceId: ctx.input.serviceId, role: "MASTER" } });
              const inst = await tx.instance.create({
                data: {
                  serviceId: ctx.input.serviceId,
                  hostId: p.hostId,
                  port: p.port,
                  software: "REDIS",
                  role,
                  shardIndex: p.shardIndex,
                  version: model.version,
                  maxmemoryMb: model.maxmemoryMb,
                  state: "RUNNING",
                  masterId: role === "REPLICA" ? (masters.get(p.shardIndex) ?? null) : null,
                  cpuCores: model.cpuCores,
                  memoryMb: model.memoryMb,
                  diskGb: model.diskGb,
                  bandwidthMbps: model.bandwidthMbps,
                },
              });
              if (role === "MASTER") masters.set(p.shardIndex, inst.id);
              await tx.portClaim.update({ where: { hostId_port: { hostId: p.hostId, port: p.port } }, data: { instanceId: inst.id } });
            }
          // a retired shard leaves the service's shards; its processes stop in the last step
          for (const r of retired) {
            const m = await tx.instance.findFirst({ where: { serviceId: ctx.input.serviceId, role: "MASTER", host: { ip: r.ip }, port: r.port } });
            if (m)
              await tx.instance.updateMany({
                where: { OR: [{ id: m.id }, { masterId: m.id }] },
                data: { state: "STOPPED", maintenanceNote: "retired by a resize" },
              });
          }
        });
        await watchShards(ctx, added(ctx), true);
        injected("catalogue");
      },
      undo: async (ctx) => {
        await watchShards(ctx, added(ctx), false);
        await ctx.db.$transaction(async (tx) => {
          for (const p of ctx.state.placed ?? []) {
            const inst = await tx.instance.findUnique({ where: { hostId_port: { hostId: p.hostId, port: p.port } } });
            if (!inst) continue;
            await tx.portClaim.updateMany({ where: { instanceId: inst.id }, data: { instanceId: null } });
            await tx.instance.updateMany({ where: { masterId: inst.id }, data: { masterId: null } });
          }
          for (const p of ctx.state.placed ?? []) await tx.instance.deleteMany({ where: { hostId: p.hostId, port: p.port } });
          for (const r of ctx.state.from!.filter((f) => !ctx.state.to!.some((t) => t.name === f.name))) {
            const m = await tx.instance.findFirst({ where: { serviceId: ctx.input.serviceId, role: "MASTER", host: { ip: r.ip }, port: r.port } });
            if (m) await tx.instance.updateMany({ where: { OR: [{ id: m.id }, { masterId: m.id }] }, data: { state: "RUNNING", maintenanceNote: null } });
          }
        });
      },
    },
    {
      name: text("reshard.steps.cleanup"),
      run: async (ctx) => {
        const auth = await opsAuth(ctx.db, ctx.input.serviceId);
        const to = ctx.state.to!;
        const kept = ctx.state.from!.filter((f) => to.some((t) => t.name === f.name));
        const dropped = await dropForeignKeys(kept, to, auth);
        await ctx.log.info(text("reshard.log.oldDropped", { dropped }));
        injected("cleanup");
      },
    },
    {
      name: text("reshard.steps.retire"),
      run: async (ctx) => {
        injected("retire");
        const to = ctx.state.to!;
        const retired = ctx.state.from!.filter((f) => !to.some((t) => t.name === f.name));
        if (retired.length === 0) {
          if (ctx.state.allocationId) await commitAllocation(ctx.db, await actorOf(ctx), ctx.state.allocationId);
          return;
        }
        await watchShards(ctx, retired, false);
        const insts = await ctx.db.instance.findMany({
          where: { serviceId: ctx.input.serviceId, OR: retired.map((r) => ({ role: "MASTER" as const, host: { ip: r.ip }, port: r.port })) },
          include: { replicas: true },
        });
        for (const m of insts)
          for (const id of [...m.replicas.map((r) => r.id), m.id]) {
            const t = await loadTarget(ctx.db, id);
            await t.exec.stopDaemon(t.layout.pidFile);
            for (const p of [t.layout.confFile, t.layout.dataDir, t.layout.logFile, t.layout.pidFile]) await t.exec.remove(p);
            await ctx.db.$transaction(async (tx) => {
              await tx.instance.updateMany({ where: { masterId: id }, data: { masterId: null } });
              await deleteInstanceRow(tx, (await tx.instance.findUniqueOrThrow({ where: { id }, include: { portClaim: true } }))!);
            });
            await ctx.log.info(text("reshard.log.retired", { label: t.label }));
          }
      },
    },
  ],
};
