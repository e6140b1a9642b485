import { text } from "../../../lib/text";
import type { DbTx } from "../../db/client";
import type { JobDefinition, JobLogger } from "../../jobs/steps";
import { precondition } from "../errors";
import { withRedis } from "../provisioning/deploy/probes";
import { startTarget, stopTarget } from "./daemon";
import type { InstanceOpInput } from "./kinds";
import { addressOf, loadTarget, type Target } from "./target";

type State = { wasRunning?: boolean };

/** Refuses a removal that would lose data or the way in: a master with replicas, a shard of a proxy pool, the last proxy. */
export async function checkRemove(db: DbTx, t: Target): Promise<void> {
  const peers = await db.instance.findMany({ where: { serviceId: t.inst.serviceId }, include: { host: { select: { ip: true } } } });
  const replicas = peers.filter((p) => p.masterId === t.inst.id);
  if (replicas.length > 0) {
    throw precondition(text("errors.domain.ops.masterOf", { label: t.label, replicas: replicas.map(addressOf).join(", ") }));
  }
  const proxies = peers.filter((p) => p.role === "PROXY");
  if ((t.inst.role === "MASTER" || t.inst.role === "CACHE") && proxies.length > 0) {
    throw precondition(text("errors.domain.ops.shardOfPool", { label: t.label, shard: t.inst.shardIndex ?? "?" }));
  }
  if (t.inst.role === "PROXY" && proxies.length === 1) {
    throw precondition(text("errors.domain.ops.lastProxy", { label: t.label, service: t.inst.service.name }));
  }
}

/**
 * The Sentinels keep listing a removed replica or Sentinel as down until reset (they rediscover the
 * living ones at once). The instance is gone by then, so a Sentinel that does not answer is a warning.
 */
async function resetSentinels(db: DbTx, log: JobLogger, serviceId: number) {
  const sentinels = await db.instance.findMany({ where: { serviceId, role: "SENTINEL", state: "RUNNING" }, select: { id: true } });
  for (const { id } of sentinels) {
    const s = await loadTarget(db, id);
    await withRedis(s, (r) => r.call("SENTINEL", "RESET", "*"))
      .then(() => log.info(text("jobs.log.remove.sentinelReset", { address: s.address })))
      .catch((e: Error) => log.warn(text("jobs.log.remove.sentinelResetFailed", { address: s.address, why: e.message })));
  }
}

/**
 * Deletes an instance from the catalogue with its port claim. The claim came from a scheduler
 * allocation: its item goes too, or the committed allocation would keep holding the resources of an
 * instance that is gone (an allocation left with no item is released).
 */
export async function deleteInstanceRow(tx: DbTx, inst: { id: number; portClaim: { allocationItemId: number | null } | null }) {
  const itemId = inst.portClaim?.allocationItemId;
  if (itemId) {
    const item = await tx.allocationItem.delete({ where: { id: itemId } });
    if ((await tx.allocationItem.count({ where: { allocationId: item.allocationId } })) === 0) {
      await tx.allocation.update({ where: { id: item.allocationId }, data: { status: "RELEASED", releasedAt: new Date() } });
    }
  }
  await tx.instance.delete({ where: { id: inst.id } }); // its claim goes with it
}

export const removeJob: JobDefinition<InstanceOpInput, State> = {
  kind: "instance.remove",
  steps: [
    {
      name: text("jobs.steps.stopProcess"),
      run: async (ctx) => {
        const t = await loadTarget(ctx.db, ctx.input.instanceId);
        await checkRemove(ctx.db, t);
        const wasRunning = await stopTarget(ctx.db, ctx.log, t);
        if (ctx.state.wasRunning === undefined) await ctx.save({ wasRunning });
      },
      undo: async (ctx) => {
        if (ctx.state.wasRunning) await startTarget(ctx.db, ctx.log, await loadTarget(ctx.db, ctx.input.instanceId));
      },
    },
    {
      name: text("jobs.steps.remove.files"),
      run: async (ctx) => {
        const t = await loadTarget(ctx.db, ctx.input.instanceId);
        for (const p of [t.layout.confFile, t.layout.dataDir, t.layout.logFile, t.layout.pidFile]) await t.exec.remove(p);
        await ctx.log.info(text("jobs.log.remove.filesRemoved", { conf: t.layout.confFile, data: t.layout.dataDir, ip: t.ip }));
      },
    },
    {
      name: text("jobs.steps.remove.catalogue"),
      run: async (ctx) => {
        const id = ctx.input.instanceId;
        const inst = await ctx.db.instance.findUnique({ where: { id }, include: { host: true, service: true, portClaim: true } });
        if (!inst) return ctx.log.info(text("jobs.log.remove.alreadyGone", { id }));
        await ctx.db.$transaction(async (tx) => {
          await deleteInstanceRow(tx, inst);
          const s = inst.service;
          if (s.entryHost === inst.host.ip && s.entryPort === inst.port) {
            const next = await tx.instance.findFirst({ where: { serviceId: s.id, role: inst.role }, include: { host: true }, orderBy: { id: "asc" } });
            await tx.service.update({ where: { id: s.id }, data: { entryHost: next?.host.ip ?? null, entryPort: next?.port ?? null } });
          }
        });
        await ctx.log.info(text("jobs.log.remove.deleted", { address: addressOf(inst), service: inst.service.name, port: inst.port, ip: inst.host.ip }));
        if (inst.role === "REPLICA" || inst.role === "SENTINEL") await resetSentinels(ctx.db, ctx.log, inst.serviceId);
      },
    },
  ],
};
