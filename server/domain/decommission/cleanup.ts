import type { Prisma } from "../../../generated/prisma/client";
import { text } from "../../../lib/text";
import type { Db } from "../../db/client";
import type { JobDefinition } from "../../jobs/steps";
import { assertProductLineVisible, type Actor } from "../access/actor";
import { recordAudit } from "../audit/record";
import { deleteKeys } from "../backups/rdb";
import { backupableService } from "../backups/backups";
import { conflict } from "../errors";
import { loadTarget } from "../operations/target";
import { moveRequest } from "../requests/requests";

export const CLEANUP_KIND = "service.cleanup";
export type CleanupForm = { serviceId: number; service: string; pattern: string };

/**
 * Deleting data as a change request a DBA approves, since clients may not FLUSHALL, FLUSHDB or KEYS:
 * the keys matching a pattern ("*" empties the service), found by SCAN and deleted by UNLINK in batches.
 */
export async function askCleanup(db: Db, actor: Actor, serviceId: number, pattern: string, reason: string) {
  const s = await backupableService(db, serviceId);
  assertProductLineVisible(actor, s.productLineId);
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT "id" FROM "Service" WHERE "id" = ${s.id} FOR UPDATE`;
    const open = await tx.resourceRequest.findFirst({
      where: { action: { not: "PROVISION" }, targetServiceId: s.id, status: { in: ["SUBMITTED", "APPROVED", "PROVISIONING"] } },
    });
    if (open) throw conflict(text("decommission.errors.open", { service: s.name, request: open.id }));
    const form: CleanupForm = { serviceId: s.id, service: s.name, pattern };
    const request = await tx.resourceRequest.create({
      data: {
        productLineId: s.productLineId,
        requesterId: actor.id,
        kind: s.kind,
        action: "CLEANUP",
        targetServiceId: s.id,
        purpose: reason,
        form: form as unknown as Prisma.InputJsonValue,
        plan: {},
        status: "SUBMITTED",
      },
    });
    await recordAudit(tx, actor, {
      action: "request.submit",
      entityType: "ResourceRequest",
      entityId: request.id,
      text: text("auditLog.decommission.cleanup", { pattern, service: s.name, request: request.id, reason }),
      after: { action: "CLEANUP", targetServiceId: s.id, pattern },
    });
    return request;
  });
}

export const cleanupJob: JobDefinition<{ requestId: number }, { deleted?: number }> = {
  kind: CLEANUP_KIND,
  steps: [
    {
      name: text("decommission.steps.cleanup"),
      run: async (ctx) => {
        const r = await ctx.db.resourceRequest.findUniqueOrThrow({ where: { id: ctx.input.requestId } });
        if (r.status === "APPROVED") await ctx.db.$transaction((tx) => moveRequest(tx, null, r.id, "start"));
        const { pattern } = r.form as unknown as CleanupForm;
        const masters = await ctx.db.instance.findMany({ where: { serviceId: r.targetServiceId!, software: "REDIS", role: "MASTER" }, select: { id: true } });
        let deleted = 0;
        for (const m of masters) {
          const t = await loadTarget(ctx.db, m.id);
          const n = await deleteKeys(t, pattern);
          deleted += n;
          await ctx.log.info(text("decommission.log.cleaned", { keys: n, pattern, address: t.address }));
        }
        await ctx.save({ deleted });
      },
    },
  ],
  onSucceeded: async (ctx) => {
    const r = await ctx.db.resourceRequest.findUniqueOrThrow({ where: { id: ctx.input.requestId } });
    if (r.status === "PROVISIONING")
      await ctx.db.$transaction((tx) => moveRequest(tx, null, r.id, "deliver", { delivery: { deleted: ctx.state.deleted ?? 0 } }));
  },
  onFailed: async (ctx) => {
    const r = await ctx.db.resourceRequest.findUniqueOrThrow({ where: { id: ctx.input.requestId } });
    if (r.status === "PROVISIONING") await ctx.db.$transaction((tx) => moveRequest(tx, null, r.id, "fail"));
  },
};
