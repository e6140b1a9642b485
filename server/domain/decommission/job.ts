import { text } from "../../../lib/text";
import type { Db } from "../../db/client";
import type { JobDefinition } from "../../jobs/steps";
import { loadActor } from "../access/actor";
import { removeApplication } from "../lb/store";
import { stopTarget } from "../operations/daemon";
import { loadTarget } from "../operations/target";
import { moveRequest } from "../requests/requests";
import { connectedClients, DECOMMISSION_KIND } from "./decommission";
import { loadDecommissionSettings } from "./settings";
import { precondition } from "../errors";

export type DecommissionInput = { requestId: number };

const DAY = 86_400_000;
/** Entry points first, so no client is sent to a process about to stop; data last. */
const STOP_ORDER = ["PROXY", "SENTINEL", "REPLICA", "CACHE", "MASTER"];

async function target(db: Db, requestId: number) {
  const r = await db.resourceRequest.findUniqueOrThrow({ where: { id: requestId } });
  const s = await db.service.findUniqueOrThrow({ where: { id: r.targetServiceId! } });
  return { request: r, service: s };
}

export const decommissionJob: JobDefinition<DecommissionInput, Record<string, never>> = {
  kind: DECOMMISSION_KIND,
  steps: [
    {
      name: text("decommission.steps.clients"),
      run: async (ctx) => {
        const { request, service } = await target(ctx.db, ctx.input.requestId);
        if (request.status === "APPROVED") await ctx.db.$transaction((tx) => moveRequest(tx, null, request.id, "start"));
        const { clients, unreachable } = await connectedClients(ctx.db, service.id);
        for (const c of clients.slice(0, 50)) await ctx.log.warn(text("decommission.log.client", { ...c, ageSec: c.ageSec, idleSec: c.idleSec }));
        for (const a of unreachable) await ctx.log.warn(text("decommission.log.unreachable", { address: a }));
        await ctx.log.info(text("decommission.log.clients", { n: clients.length, service: service.name }));
      },
    },
    {
      name: text("decommission.steps.vip"),
      run: async (ctx) => {
        const { request, service } = await target(ctx.db, ctx.input.requestId);
        const apps = await ctx.db.lbApplication.findMany({ where: { serviceId: service.id }, include: { vip: true, pool: { select: { name: true } } } });
        // the approving DBA's decision: Libra's change log names them
        const job = await ctx.db.job.findUniqueOrThrow({ where: { id: ctx.jobId } });
        const actor = await loadActor(ctx.db, job.createdById ?? request.decidedById!);
        if (!actor) throw precondition(text("jobErrors.decommission.actorGone"));
        for (const a of apps) {
          await removeApplication(ctx.db, actor, a.id);
          await ctx.log.info(text("decommission.log.vipRemoved", { app: a.name, vip: a.vip ? `${a.vip.ip}:${a.vip.port}` : "-", pool: a.pool.name }));
        }
        if (apps.length === 0) await ctx.log.info(text("decommission.log.noVip"));
      },
    },
    {
      name: text("decommission.steps.stop"),
      run: async (ctx) => {
        const { service } = await target(ctx.db, ctx.input.requestId);
        const instances = await ctx.db.instance.findMany({ where: { serviceId: service.id }, select: { id: true, role: true } });
        instances.sort((a, b) => STOP_ORDER.indexOf(a.role) - STOP_ORDER.indexOf(b.role));
        for (const i of instances) await stopTarget(ctx.db, ctx.log, await loadTarget(ctx.db, i.id));
      },
    },
    {
      name: text("decommission.steps.release"),
      run: async (ctx) => {
        const { service } = await target(ctx.db, ctx.input.requestId);
        const { graceDays } = await loadDecommissionSettings(ctx.db);
        const now = new Date();
        const released = await ctx.db.$transaction(async (tx) => {
          const ids = (await tx.instance.findMany({ where: { serviceId: service.id }, select: { id: true } })).map((i) => i.id);
          // the allocations that placed its instances (found through their claims) and any made for the service
          const claimed = await tx.portClaim.findMany({
            where: { instanceId: { in: ids }, allocationItemId: { not: null } },
            select: { allocationItem: { select: { allocationId: true } } },
          });
          const allocationIds = [...new Set(claimed.map((c) => c.allocationItem!.allocationId))];
          const allocations = await tx.allocation.updateMany({
            where: { OR: [{ id: { in: allocationIds } }, { serviceId: service.id }], status: { in: ["LOCKED", "COMMITTED"] } },
            data: { status: "RELEASED", releasedAt: now },
          });
          const ports = await tx.portClaim.deleteMany({
            where: {
              OR: [
                { instanceId: { in: ids } },
                { allocationItem: { allocationId: { in: allocationIds } } },
                { allocationItem: { allocation: { serviceId: service.id } } },
              ],
            },
          });
          // the rows stay as the service's history; they hold nothing on their hosts any more
          await tx.instance.updateMany({ where: { serviceId: service.id }, data: { cpuCores: 0, memoryMb: 0, diskGb: 0, bandwidthMbps: 0, state: "STOPPED" } });
          await tx.service.update({
            where: { id: service.id },
            data: { status: "DECOMMISSIONED", retiredAt: now, dataDeleteAfter: new Date(now.getTime() + graceDays * DAY) },
          });
          return { ports: ports.count, allocations: allocations.count };
        });
        await ctx.log.info(text("decommission.log.released", { ...released, days: graceDays }));
      },
    },
  ],
  onSucceeded: async (ctx) => {
    const { request, service } = await target(ctx.db, ctx.input.requestId);
    if (request.status === "PROVISIONING")
      await ctx.db.$transaction((tx) => moveRequest(tx, null, request.id, "deliver", { delivery: { retired: service.name, retiredAt: service.retiredAt } }));
  },
  onFailed: async (ctx) => {
    const { request } = await target(ctx.db, ctx.input.requestId);
    if (request.status === "PROVISIONING") await ctx.db.$transaction((tx) => moveRequest(tx, null, request.id, "fail"));
  },
};

/**
 * After the grace period, a retired service's files (config, data, log, pid) are deleted from its
 * hosts; the catalogue keeps the service and its instances. Run by the one reconciler.
 */
export async function purgeRetiredData(db: Db, now: Date, log: (line: string) => void = () => {}): Promise<number> {
  const due = await db.service.findMany({
    where: { status: "DECOMMISSIONED", dataDeletedAt: null, dataDeleteAfter: { lte: now } },
    select: { id: true, name: true },
  });
  for (const s of due) {
    try {
      for (const i of await db.instance.findMany({ where: { serviceId: s.id }, select: { id: true } })) {
        const t = await loadTarget(db, i.id);
        for (const p of [t.layout.confFile, t.layout.dataDir, t.layout.logFile, t.layout.pidFile]) await t.exec.remove(p);
      }
      await db.service.update({ where: { id: s.id }, data: { dataDeletedAt: now } });
      log(`the files of retired service ${s.name} were deleted (grace period over)`);
    } catch (e) {
      log(`the files of retired service ${s.name} could not be deleted: ${(e as Error).message}`);
    }
  }
  return due.length;
}
