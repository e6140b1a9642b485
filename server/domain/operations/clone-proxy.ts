import { appAuth } from "../credentials/store";
import { text } from "../../../lib/text";
import type { Db, DbTx } from "../../db/client";
import type { JobDefinition, StepContext } from "../../jobs/steps";
import { loadActor } from "../access/actor";
import { badInput, notFound, precondition } from "../errors";
import { addClonedProxy, removeClonedProxy } from "../lb/delivery";
import { linkDemoBinary, startCommand } from "../provisioning/deploy/commands";
import { executorFor } from "../provisioning/deploy/executors";
import { verifyMemcached, verifyRedis } from "../provisioning/deploy/probes";
import { instanceLayout } from "../provisioning/layout";
import { commitAllocation, place, releaseAllocation } from "../scheduler/store/allocations";
import type { CloneInput } from "./kinds";
import { readPool, writePool, type ProxyFiles } from "./nutcracker";
import { dataDir } from "../provisioning/deploy/executors";
import { loadTarget, type Target } from "./target";

type State = { sourceId?: number; allocationId?: string; hostId?: number; ip?: string; port?: number; instanceId?: number };
type Ctx = StepContext<CloneInput, State>;

/** The proxy to copy: a Twemproxy service's first running proxy (its deployed config is the pool's). */
export async function checkClone(db: DbTx, serviceId: number): Promise<Target> {
  const s = await db.service.findUnique({ where: { id: serviceId }, include: { instances: { where: { role: "PROXY" }, orderBy: { id: "asc" } } } });
  if (!s) throw notFound(text("errors.domain.notFound.service", { id: serviceId }));
  if (s.kind !== "REDIS_TWEMPROXY" && s.kind !== "MEMCACHED_TWEMPROXY")
    throw badInput(text("errors.domain.ops.notProxied", { service: s.name, kind: text(`sizing.kinds.${s.kind}`) }));
  const source = s.instances.find((i) => i.state === "RUNNING") ?? s.instances[0];
  if (!source) throw precondition(text("errors.domain.ops.noProxyLeft", { service: s.name }));
  return loadTarget(db, source.id);
}

async function actorOf(ctx: Ctx) {
  const job = await ctx.db.job.findUniqueOrThrow({ where: { id: ctx.jobId } });
  const actor = job.createdById ? await loadActor(ctx.db, job.createdById) : null;
  if (!actor) throw precondition(text("refusals.jobs.cloneAskerGone"));
  return actor;
}

/** The new proxy, not in the catalogue yet: its host's executor and its layout, from what the lock gave. */
async function clone(ctx: Ctx, source: Target): Promise<ProxyFiles & { software: "TWEMPROXY"; address: string }> {
  const host = await ctx.db.host.findUniqueOrThrow({ where: { id: ctx.state.hostId! } });
  const port = ctx.state.port!;
  const address = `${host.ip}:${port}`;
  return {
    exec: await executorFor(ctx.db, host, dataDir()),
    layout: instanceLayout("TWEMPROXY", source.inst.version, port),
    software: "TWEMPROXY",
    ip: host.ip,
    port,
    address,
    label: `twemproxy ${address}`,
  };
}

/**
 * Moves the lock's claim to the pool's usual port when that port is free on the chosen host, so
 * every proxy of the pool listens on one port. Returns whether it did.
 */
async function takeUsualPort(db: Db, allocationId: string, hostId: number, from: number, to: number): Promise<boolean> {
  if (from === to) return true;
  return db.$transaction(async (tx) => {
    if (await tx.portClaim.findUnique({ where: { hostId_port: { hostId, port: to } } })) return false;
    const item = await tx.allocationItem.findFirstOrThrow({ where: { allocationId } });
    await tx.$executeRaw`UPDATE "PortClaim" SET "port" = ${to} WHERE "hostId" = ${hostId} AND "port" = ${from}`;
    await tx.allocationItem.update({ where: { id: item.id }, data: { port: to } });
    return true;
  });
}

export const cloneProxyJob: JobDefinition<CloneInput, State> = {
  kind: "twemproxy.clone",
  steps: [
    {
      name: text("jobs.steps.cloneProxy.lock"),
      run: async (ctx) => {
        if (ctx.state.allocationId) return;
        const source = await checkClone(ctx.db, ctx.input.serviceId);
        const { inst } = source;
        const line = await ctx.db.productLine.findUniqueOrThrow({ where: { id: inst.service.productLineId } });
        const actor = await actorOf(ctx);
        const r = await place(ctx.db, actor, {
          spec: { cpuCores: inst.cpuCores, memoryMb: inst.memoryMb, diskGb: inst.diskGb, bandwidthMbps: inst.bandwidthMbps },
          idcIds: null,
          selector: "",
          importance: line.importance,
          productLineId: line.id,
          departmentId: line.departmentId,
          replicas: 1,
          crossIdc: false,
          hostCap: null,
          shards: 1,
          strategy: "spread",
          preferredIdcId: null,
          software: "TWEMPROXY",
          purpose: `clone a proxy of ${inst.service.name}`,
          ownerRef: `job:${ctx.jobId}`,
          serviceId: inst.serviceId,
          role: "PROXY",
          ttlSeconds: 1800,
          dryRun: false,
        });
        const item = r.items[0]!;
        const usual = await takeUsualPort(ctx.db, r.allocationId!, item.hostId, item.port, inst.port);
        const port = usual ? inst.port : item.port;
        await ctx.save({ sourceId: inst.id, allocationId: r.allocationId!, hostId: item.hostId, ip: item.ip, port });
        const where = { ip: item.ip, idc: item.idc, rack: item.rack, port };
        await ctx.log.info(usual ? text("jobs.log.proxy.placedUsual", where) : text("jobs.log.proxy.placedOther", { ...where, usual: inst.port }));
      },
      undo: async (ctx) => {
        if (!ctx.state.allocationId) return;
        await releaseAllocation(ctx.db, await actorOf(ctx), ctx.state.allocationId);
        await ctx.log.info(text("jobs.log.proxy.released", { address: `${ctx.state.ip}:${ctx.state.port}` }));
        await ctx.save({ allocationId: undefined });
      },
    },
    {
      name: text("jobs.steps.cloneProxy.layout"),
      run: async (ctx) => {
        const source = await loadTarget(ctx.db, ctx.state.sourceId!);
        const t = await clone(ctx, source);
        for (const dir of t.layout.dirs) await t.exec.mkdirp(dir);
        await linkDemoBinary(t.exec, "TWEMPROXY", t.layout);
        const pool = await readPool(source);
        await writePool(t, pool);
        await ctx.log.info(
          text("jobs.log.proxy.wroteConfig", {
            file: t.layout.confFile,
            ip: t.ip,
            pool: pool.pool,
            source: source.address,
            n: pool.servers.length,
            address: t.address,
          }),
        );
      },
      undo: async (ctx) => {
        const t = await clone(ctx, await loadTarget(ctx.db, ctx.state.sourceId!));
        for (const p of [t.layout.confFile, t.layout.dataDir, t.layout.logFile, t.layout.pidFile]) await t.exec.remove(p);
      },
    },
    {
      name: text("jobs.steps.cloneProxy.start"),
      run: async (ctx) => {
        const t = await clone(ctx, await loadTarget(ctx.db, ctx.state.sourceId!));
        // Not in the catalogue yet, so no state to mark: started here rather than through startTarget.
        const pid = await t.exec.startDaemon(t.label, await startCommand(t.exec, t), { pidFile: t.layout.pidFile, logFile: t.layout.logFile });
        if (!(await t.exec.isListening(t.ip, t.port, 10_000))) throw new Error(`${t.label} (pid ${pid}) is not listening after 10 s`);
        await ctx.log.info(text("jobs.log.proxy.started", { label: t.label, pid }));
      },
      undo: async (ctx) => {
        const t = await clone(ctx, await loadTarget(ctx.db, ctx.state.sourceId!));
        if (await t.exec.stopDaemon(t.layout.pidFile)) await ctx.log.info(text("jobs.log.proxy.stopped", { label: t.label }));
      },
    },
    {
      name: text("jobs.steps.cloneProxy.verify"),
      run: async (ctx) => {
        const source = await loadTarget(ctx.db, ctx.state.sourceId!);
        const t = await clone(ctx, source);
        const said =
          source.inst.service.kind === "REDIS_TWEMPROXY"
            ? await verifyRedis({ ip: t.ip, port: t.port, auth: await appAuth(ctx.db, source.inst.serviceId) })
            : await verifyMemcached(t.ip, t.port);
        await ctx.log.info(text("jobs.log.proxy.said", { address: t.address, said }));
      },
    },
    {
      name: text("jobs.steps.cloneProxy.register"),
      run: async (ctx) => {
        if (ctx.state.instanceId) return;
        const { inst } = await loadTarget(ctx.db, ctx.state.sourceId!);
        const { hostId, port } = ctx.state as Required<State>;
        const created = await ctx.db.$transaction(async (tx) => {
          const row = await tx.instance.create({
            data: {
              serviceId: inst.serviceId,
              hostId,
              port,
              software: "TWEMPROXY",
              role: "PROXY",
              shardIndex: null,
              version: inst.version,
              maxmemoryMb: null,
              state: "RUNNING",
              cpuCores: inst.cpuCores,
              memoryMb: inst.memoryMb,
              diskGb: inst.diskGb,
              bandwidthMbps: inst.bandwidthMbps,
            },
          });
          // The port the lock claimed now belongs to the instance.
          await tx.portClaim.update({ where: { hostId_port: { hostId, port } }, data: { instanceId: row.id } });
          return row;
        });
        await ctx.save({ instanceId: created.id });
        await ctx.log.info(text("jobs.log.proxy.registered", { address: `${ctx.state.ip}:${port}`, service: inst.service.name }));
      },
      undo: async (ctx) => {
        const id = ctx.state.instanceId;
        if (!id) return;
        await ctx.db.$transaction(async (tx) => {
          // Keep the claim (the lock's release frees it): deleting the instance would take it along.
          await tx.portClaim.updateMany({ where: { instanceId: id }, data: { instanceId: null } });
          await tx.instance.delete({ where: { id } });
        });
        await ctx.save({ instanceId: undefined });
      },
    },
    {
      name: text("jobs.steps.cloneProxy.libra"),
      run: (ctx) => addClonedProxy(ctx.db, ctx.input.serviceId, ctx.state.ip!, ctx.state.port!, ctx.log),
      undo: (ctx) => removeClonedProxy(ctx.db, ctx.input.serviceId, ctx.state.ip!, ctx.state.port!),
    },
    {
      name: text("jobs.steps.cloneProxy.commit"),
      run: async (ctx) => {
        await commitAllocation(ctx.db, await actorOf(ctx), ctx.state.allocationId!);
        await ctx.log.info(text("jobs.log.proxy.committed", { address: `${ctx.state.ip}:${ctx.state.port}` }));
      },
    },
  ],
};
