import { z } from "zod";
import { text } from "../../../lib/text";
import type { Db, DbTx } from "../../db/client";
import { createJob } from "../../jobs/queue";
import type { Actor } from "../access/actor";
import { recordAudit } from "../audit/record";
import { isRedisKind, lockIdleService } from "../backups/backups";
import { intIn } from "../bounds";
import { notFound, precondition } from "../errors";
import { visibleService } from "../metrics/service-scope";
import type { Dispatcher } from "../requests/requests";
import { KEY_ANALYSIS_KIND, type ShardResult } from "./job";

/**
 * The rate limit a DBA may choose: at 5,000 keys/s each key costs about four O(1) reads (TYPE, MEMORY
 * USAGE with a few samples, a length), a small share of what one Redis core serves.
 */
export const keyAnalysisSchema = z.object({
  keysPerSecond: intIn(100, 5000, "keys per second").default(1000),
  top: intIn(1, 100, "the number of top keys").default(20),
});
export type KeyAnalysisOptions = z.infer<typeof keyAnalysisSchema>;

/** Records the analysis and its job (audited), then queues it; one job per service at a time. */
export async function submitKeyAnalysis(db: Db, actor: Actor, serviceId: number, opts: KeyAnalysisOptions, dispatch: Dispatcher) {
  const s = await db.service.findUnique({ where: { id: serviceId } });
  if (!s) throw notFound(text("errors.domain.notFound.service", { id: serviceId }));
  if (!isRedisKind(s.kind) || s.isDemo || s.status !== "ONLINE") throw precondition(text("keys.errors.notLive", { service: s.name }));
  const { job, analysis } = await db.$transaction(async (tx) => {
    await lockIdleService(tx, s);
    const analysis = await tx.keyAnalysis.create({ data: { serviceId: s.id, keysPerSecond: opts.keysPerSecond, top: opts.top } });
    const job = await createJob(tx, { kind: KEY_ANALYSIS_KIND, input: { analysisId: analysis.id }, serviceId: s.id, createdById: actor.id });
    await tx.keyAnalysis.update({ where: { id: analysis.id }, data: { jobId: job.id } });
    await recordAudit(tx, actor, {
      action: KEY_ANALYSIS_KIND,
      entityType: "Service",
      entityId: s.id,
      text: text("auditLog.keys.analyse", { service: s.name, rate: opts.keysPerSecond, analysis: analysis.id, job: job.id.slice(0, 8) }),
      after: { analysisId: analysis.id, jobId: job.id, ...opts },
    });
    return { job, analysis };
  });
  await dispatch(job.id);
  return { jobId: job.id, analysisId: analysis.id };
}

/** The service's newest analysis (running, done or failed), with its time of sampling. */
export async function latestKeyAnalysis(db: DbTx, actor: Actor, serviceId: number) {
  const s = await visibleService(db, actor, serviceId);
  const a = await db.keyAnalysis.findFirst({ where: { serviceId: s.id }, orderBy: { createdAt: "desc" } });
  return {
    analysable: isRedisKind(s.kind),
    analysis: a && {
      id: a.id,
      jobId: a.jobId,
      status: a.error ? "FAILED" : a.sampledAt ? "SUCCEEDED" : "RUNNING",
      keysPerSecond: a.keysPerSecond,
      top: a.top,
      createdAt: a.createdAt,
      sampledAt: a.sampledAt,
      error: a.error,
      shards: a.shards as unknown as ShardResult[],
    },
  };
}
