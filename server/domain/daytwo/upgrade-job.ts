import path from "node:path";
import type { Instance, Software } from "../../../generated/prisma/client";
import { text } from "../../../lib/text";
import type { Db, DbTx } from "../../db/client";
import type { JobDefinition, StepContext } from "../../jobs/steps";
import { badInput, notFound, precondition } from "../errors";
import type { Executor } from "../executors/executor";
import { setSlots, vipSlotsOf, waitSlotsIdle, type VipSlot } from "../lb/drain";
import { startTarget, stopTarget } from "../operations/daemon";
import { loadTarget, type Target } from "../operations/target";
import { linkDemoBinary } from "../provisioning/deploy/commands";
import { waitReplicaLinked, waitSentinelQuorum, withRedis } from "../provisioning/deploy/probes";
import { instanceLayout } from "../provisioning/layout";
import { writeRendered } from "./rendered";
import { redeployOne } from "./rolling";

export const UPGRADE_KIND = "service.upgrade";
/** What a DBA upgrades: Redis brings its Sentinels along (one package, redis-server in sentinel mode). */
export const UPGRADABLE = ["REDIS", "MEMCACHED", "TWEMPROXY"] as const;
export type UpgradeInput = { serviceId: number; software: (typeof UPGRADABLE)[number]; toVersion: string };
type State = { from?: Record<string, string>; switched?: boolean };
type Ctx = StepContext<UpgradeInput, State>;

const softwaresOf = (s: UpgradeInput["software"]): Software[] => (s === "REDIS" ? ["REDIS", "REDIS_SENTINEL"] : [s]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Where Debian installs each binary: the demo's builds and an SSH host's package. */
const debianBinary = (software: Software, binary: string) => `/usr/${software === "TWEMPROXY" ? "sbin" : "bin"}/${path.posix.basename(binary)}`;

/** Refuses what cannot be upgraded, with the reason; otherwise the instances to move and where from. */
export async function checkUpgrade(db: DbTx, input: UpgradeInput) {
  const service = await db.service.findUnique({ where: { id: input.serviceId }, include: { instances: { orderBy: { id: "asc" } } } });
  if (!service) throw notFound(text("errors.domain.notFound.service", { id: input.serviceId }));
  if (service.isDemo) throw precondition(text("dayTwo.errors.demo", { service: service.name }));
  if (service.adopted) throw precondition(text("dayTwo.errors.adopted", { service: service.name }));
  if (!UPGRADABLE.includes(input.software)) throw badInput(text("dayTwo.errors.notInService", { software: String(input.software) }));
  const catalogued = await db.softwareVersion.findUnique({ where: { software_version: { software: input.software, version: input.toVersion } } });
  if (!catalogued) throw badInput(text("dayTwo.errors.notCatalogued", { software: input.software, version: input.toVersion }));
  instanceLayout(input.software, input.toVersion, 1); // the version must be a path segment
  const affected = service.instances.filter((i) => softwaresOf(input.software).includes(i.software));
  if (affected.length === 0) throw badInput(text("dayTwo.errors.notInService", { software: input.software }));
  const moving = affected.filter((i) => i.version !== input.toVersion);
  if (moving.length === 0) throw badInput(text("dayTwo.errors.alreadyAt", { service: service.name, version: input.toVersion }));
  const from = [...new Set(moving.map((i) => i.version))].join(", ");
  return { service, affected, moving, from };
}

const setVersion = (db: Db, id: number, version: string) => db.instance.update({ where: { id }, data: { version } });

/**
 * The version's binary under the deployment standard's path on every host that runs the software.
 * A demo host links this machine's Debian build (a second version of the same binary is a second
 * registration of that build); an SSH host that lacks it gets it installed from its Debian package
 * when that package is the version asked for, and the job says which it did.
 */
async function install(ctx: Ctx, insts: Instance[]) {
  const seen = new Set<string>();
  for (const inst of insts) {
    const key = `${inst.hostId}:${inst.software}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const t = await loadTarget(ctx.db, inst.id);
    const layout = instanceLayout(inst.software, ctx.input.toVersion, inst.port);
    const system = debianBinary(inst.software, layout.binary);
    if (t.exec.describe().startsWith("local")) {
      await linkDemoBinary(t.exec, inst.software, layout);
      await ctx.log.info(
        text("dayTwo.log.demoBuild", { ip: t.ip, software: inst.software.toLowerCase(), version: ctx.input.toVersion, system, path: layout.binary }),
      );
      continue;
    }
    if ((await t.exec.run(["test", "-x", layout.binary])).code === 0) {
      await ctx.log.info(text("dayTwo.log.installed", { ip: t.ip, path: layout.binary }));
      continue;
    }
    await installFromDebian(ctx, t.exec, t.ip, inst.software, system, layout.binary);
  }
}

async function installFromDebian(ctx: Ctx, exec: Executor, ip: string, software: Software, system: string, binary: string) {
  const said = await exec.run([system, software === "TWEMPROXY" ? "-V" : "--version"]).catch(() => null);
  const base = ctx.input.toVersion.split("-")[0]!;
  if (!said || said.code !== 0 || !`${said.stdout}${said.stderr}`.includes(base))
    throw precondition(text("jobErrors.dayTwo.noBinary", { ip, binary, system, version: base }));
  await exec.mkdirp(path.posix.dirname(binary));
  const copied = await exec.run(["cp", system, binary]);
  if (copied.code !== 0) throw precondition(text("jobErrors.dayTwo.copyFailed", { ip, system, binary, stderr: copied.stderr.trim() }));
  await ctx.log.info(text("dayTwo.log.installedFromDebian", { ip, system, path: binary, version: ctx.input.toVersion }));
}

/** Restarts one instance on the version asked for (its catalogue row first: the renderers read it), then waits for a replica to be in sync. */
async function moveOne(ctx: Ctx, inst: Instance) {
  if (inst.software === "MEMCACHED") await ctx.log.warn(text("dayTwo.log.memcachedEmpties", { address: `${inst.port}` }));
  await setVersion(ctx.db, inst.id, ctx.input.toVersion);
  await redeployOne(ctx.db, ctx.log, inst.id);
  const t = await loadTarget(ctx.db, inst.id);
  if (t.inst.role === "REPLICA") await waitReplicaLinked(t, 30_000);
  await ctx.log.info(text("dayTwo.log.upgraded", { label: t.label, version: ctx.input.toVersion }));
}

const fresh = async (ctx: Ctx) =>
  ctx.db.instance.findMany({ where: { serviceId: ctx.input.serviceId, software: { in: softwaresOf(ctx.input.software) } }, orderBy: { id: "asc" } });

/** A Redis's replication offset: a master's own, a replica's as far as it has read. */
async function offsetOf(t: Target) {
  const info = await withRedis(t, (r) => r.info("replication"));
  const field = (k: string) => Number(new RegExp(`^${k}:(\\d+)`, "m").exec(info)?.[1] ?? -1);
  return /^role:slave/m.test(info) ? field("slave_repl_offset") : field("master_repl_offset");
}

/**
 * The controlled failover of every shard whose replica already runs the new version, without a
 * failed request through the VIP. Twemproxy cannot change a shard's address without a restart, so:
 * one proxy, drained, restarts already pointing at the new masters; the old masters pause writes
 * for the few milliseconds it takes the replicas to catch up and be promoted, while the VIP swaps
 * (that proxy ready, the others drained); then the other proxies restart one at a time and the old
 * masters follow the new ones. Sentinels are stopped meanwhile (they would see a master claim to be
 * a replica and fail it over) and start again, on the new version, from a sentinel.conf rendered
 * with the new masters.
 */
async function switchMasters(ctx: Ctx) {
  const db = ctx.db;
  const all = await db.instance.findMany({ where: { serviceId: ctx.input.serviceId }, orderBy: { id: "asc" }, include: { host: true } });
  type WithHost = (typeof all)[number];
  const pairs = all
    .filter((m) => m.role === "MASTER" && m.version !== ctx.input.toVersion)
    .map((m) => ({ m, r: all.find((r) => r.role === "REPLICA" && r.masterId === m.id && r.version === ctx.input.toVersion) }))
    .filter((p): p is { m: WithHost; r: WithHost } => p.r !== undefined);
  if (pairs.length === 0) return ctx.log.info(text("dayTwo.log.noSwitch"));
  const sentinels = all.filter((i) => i.role === "SENTINEL");
  const proxies = all.filter((i) => i.role === "PROXY");
  for (const s of sentinels) await stopTarget(db, ctx.log, await loadTarget(db, s.id), { keepDesired: true });
  if (sentinels.length) await ctx.log.info(text("dayTwo.log.sentinelsStopped", { n: sentinels.length }));

  // the catalogue first: the proxies' and replicas' files are rendered from who is master
  await db.$transaction(async (tx) => {
    for (const { m, r } of pairs) {
      await tx.instance.updateMany({ where: { masterId: m.id, id: { not: r.id } }, data: { masterId: r.id } });
      await tx.instance.update({ where: { id: r.id }, data: { role: "MASTER", masterId: null } });
      await tx.instance.update({ where: { id: m.id }, data: { role: "REPLICA", masterId: r.id } });
    }
    // clients of a Sentinel service without a VIP connect to the master: the entry follows it
    const service = await tx.service.findUniqueOrThrow({ where: { id: ctx.input.serviceId } });
    const old = pairs.find(({ m }) => m.host.ip === service.entryHost && m.port === service.entryPort);
    if (old) await tx.service.update({ where: { id: service.id }, data: { entryHost: old.r.host.ip, entryPort: old.r.port } });
  });
  await ctx.save({ switched: true });
  const slots = new Map<number, VipSlot[]>();
  for (const p of proxies) {
    const t = await loadTarget(db, p.id);
    slots.set(p.id, await vipSlotsOf(db, { ip: t.ip, port: t.port }));
  }
  const [first, ...rest] = proxies;
  const clean = proxies.length >= 2 && proxies.every((p) => (slots.get(p.id) ?? []).length > 0);
  if (proxies.length > 0 && !clean) await ctx.log.warn(text("dayTwo.log.noCleanSwitch", { n: proxies.length }));
  const restartProxy = async (id: number) => {
    await writeRendered(db, ctx.input.serviceId, { instanceIds: [id] });
    const t = await loadTarget(db, id);
    await stopTarget(db, ctx.log, t, { keepDesired: true });
    await startTarget(db, ctx.log, t);
  };
  if (first && clean) {
    await setSlots(slots.get(first.id)!, "drain");
    await waitSlotsIdle(slots.get(first.id)!);
    await restartProxy(first.id);
  }

  const masters = await Promise.all(pairs.map(async ({ m, r }) => ({ old: await loadTarget(db, m.id), next: await loadTarget(db, r.id) })));
  const began = Date.now();
  // writes wait (they do not fail) while the replicas catch up; 2 s is only a safety net should Hedwig die here
  for (const { old } of masters) await withRedis(old, (c) => c.call("CLIENT", "PAUSE", "2000", "WRITE"));
  try {
    for (const { old, next } of masters) {
      const target = await offsetOf(old);
      while ((await offsetOf(next)) < target) {
        if (Date.now() - began > 1_500)
          throw precondition(text("jobErrors.dayTwo.offsetSlow", { replica: next.label, master: old.label, offset: String(target) }));
        await sleep(2);
      }
      await withRedis(next, (c) => c.call("REPLICAOF", "NO", "ONE"));
    }
    if (first && clean) {
      await setSlots(slots.get(first.id)!, "ready");
      for (const p of rest) await setSlots(slots.get(p.id)!, "drain");
    }
  } finally {
    for (const { old } of masters) await withRedis(old, (c) => c.call("CLIENT", "UNPAUSE")).catch(() => {});
  }
  await ctx.log.info(text("dayTwo.log.promoted", { n: masters.length, ms: Date.now() - began, masters: masters.map((x) => x.next.address).join(", ") }));

  if (clean) {
    for (const p of rest) {
      await waitSlotsIdle(slots.get(p.id)!);
      await restartProxy(p.id);
      await setSlots(slots.get(p.id)!, "ready");
    }
  } else for (const p of proxies) await restartProxy(p.id);
  if (proxies.length) await ctx.log.info(text("dayTwo.log.proxiesFollow", { n: proxies.length }));

  for (const { old, next } of masters) {
    await withRedis(old, async (c) => {
      await c.call("REPLICAOF", next.ip, String(next.port));
      await c.call("CONFIG", "REWRITE");
    });
    await waitReplicaLinked(old, 30_000);
    await ctx.log.info(text("dayTwo.log.demoted", { old: old.address, next: next.address }));
  }
  for (const s of sentinels) await setVersion(db, s.id, ctx.input.toVersion);
  await writeRendered(db, ctx.input.serviceId, { sentinelConf: true });
  for (const s of sentinels) await startTarget(db, ctx.log, await loadTarget(db, s.id));
  const service = await db.service.findUniqueOrThrow({ where: { id: ctx.input.serviceId } });
  const shardMasters = all.filter((i) => i.role === "MASTER" || pairs.some((p) => p.m.id === i.id));
  if (sentinels[0]) {
    const s = await loadTarget(db, sentinels[0].id);
    for (const m of shardMasters) {
      const name = shardMasters.length === 1 ? service.name : `${service.name}-${m.shardIndex}`;
      await ctx.log.info(text("dayTwo.log.sentinelWatches", { address: s.address, name, said: await waitSentinelQuorum(s, name, 20_000) }));
    }
  }
}

export const upgradeJob: JobDefinition<UpgradeInput, State> = {
  kind: UPGRADE_KIND,
  steps: [
    {
      name: text("dayTwo.steps.upgradeCheck"),
      run: async (ctx) => {
        const { moving, from } = await checkUpgrade(ctx.db, ctx.input);
        if (!ctx.state.from) await ctx.save({ from: Object.fromEntries(moving.map((i) => [String(i.id), i.version])) });
        await ctx.log.info(text("dayTwo.log.plan", { n: moving.length, software: ctx.input.software.toLowerCase(), from, to: ctx.input.toVersion }));
      },
    },
    {
      name: text("dayTwo.steps.install"),
      run: async (ctx) => install(ctx, await fresh(ctx)),
    },
    {
      name: text("dayTwo.steps.replicasFirst"),
      run: async (ctx) => {
        const insts = (await fresh(ctx)).filter((i) => i.version !== ctx.input.toVersion);
        // Redis: replicas now (masters after the failover); Sentinels move with the failover. The others: every instance, one at a time.
        const now = ctx.input.software === "REDIS" ? insts.filter((i) => i.role === "REPLICA") : insts;
        for (const inst of now) await moveOne(ctx, inst);
        if (ctx.input.software === "TWEMPROXY") {
          // the Sentinels' follow-failover scripts start the proxy's binary: its new path
          const sentinels = await ctx.db.instance.findMany({ where: { serviceId: ctx.input.serviceId, role: "SENTINEL" }, select: { id: true } });
          if (sentinels.length) await writeRendered(ctx.db, ctx.input.serviceId, { instanceIds: sentinels.map((s) => s.id) });
        }
      },
    },
    {
      name: text("dayTwo.steps.failover"),
      run: async (ctx) => {
        if (ctx.input.software !== "REDIS") return ctx.log.info(text("dayTwo.log.noSwitch"));
        if (!ctx.state.switched) await switchMasters(ctx);
      },
    },
    {
      name: text("dayTwo.steps.oldMasters"),
      run: async (ctx) => {
        if (ctx.input.software !== "REDIS") return;
        for (const inst of (await fresh(ctx)).filter((i) => i.version !== ctx.input.toVersion)) {
          // a master with no replica to fail over to restarts in place: its clients see it go
          if (inst.role === "MASTER") await ctx.log.warn(text("dayTwo.log.noReplica", { port: inst.port }));
          await moveOne(ctx, inst);
        }
      },
    },
  ],
};
