import { text } from "../../../lib/text";
import type { DbTx } from "../../db/client";
import type { Actor } from "../access/actor";
import { visibleProductLines } from "../access/actor";
import { notFound } from "../errors";

/**
 * One job with its steps, for whoever may see it: the fleet's readers, its creator, and members of
 * the product line of its request or service. Anyone else is told it does not exist.
 */
export async function getJob(db: DbTx, actor: Actor, id: string) {
  const job = await db.job.findUnique({
    where: { id },
    select: {
      id: true,
      kind: true,
      status: true,
      requestId: true,
      serviceId: true,
      automatic: true,
      error: true,
      attempt: true,
      createdAt: true,
      startedAt: true,
      finishedAt: true,
      createdById: true,
      request: { select: { productLineId: true } },
      service: { select: { productLineId: true } },
      steps: { select: { index: true, name: true, status: true, startedAt: true, finishedAt: true, error: true }, orderBy: { index: "asc" } },
    },
  });
  const lines = visibleProductLines(actor);
  const line = job?.request?.productLineId ?? job?.service?.productLineId;
  if (!job || (lines && job.createdById !== actor.id && (line === undefined || !lines.includes(line)))) throw notFound(text("refusals.notFound.job", { id }));
  const { request: _r, service: _s, createdById: _c, ...rest } = job;
  return rest;
}

/** Log lines after `afterId` (0 from the start), oldest first; the caller checked the job with getJob. */
export async function jobLogAfter(db: DbTx, jobId: string, afterId: bigint, limit = 500) {
  const rows = await db.jobLog.findMany({
    where: { jobId, id: { gt: afterId } },
    orderBy: { id: "asc" },
    take: limit,
    select: { id: true, stepIndex: true, at: true, level: true, message: true },
  });
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}
