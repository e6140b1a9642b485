import PgBoss from "pg-boss";
import type { Prisma } from "../../generated/prisma/client";
import type { DbTx } from "../db/client";
import { log } from "../log";

/**
 * The durable queue is pg-boss (PostgreSQL-backed: jobs survive restarts, several workers can share
 * it, a job whose worker died is retried after its expiry). It only carries "run job X"; the job's
 * steps, log and state live in Hedwig's own tables, where the browser reads them.
 */
export const QUEUE = "hedwig-jobs";

export async function startQueue(url: string): Promise<PgBoss> {
  const boss = new PgBoss({ connectionString: url, schema: "pgboss", max: 4 });
  boss.on("error", (e) => log.error({ part: "queue", err: e.message }, "queue error"));
  await boss.start();
  // "stately": per singletonKey (the job id) at most one queued and one active, so a job is never
  // run by two workers at once and a second dispatch while it waits is dropped.
  await boss.createQueue(QUEUE, { name: QUEUE, policy: "stately", retryLimit: 3, retryDelay: 5, expireInSeconds: 15 * 60 });
  return boss;
}

export type NewJob = { kind: string; input: unknown; requestId?: number | null; serviceId?: number | null; createdById?: number | null; automatic?: boolean };

/** Records the job (inside the caller's transaction), so it shows at once; `dispatch` queues it once committed. */
export async function createJob(tx: DbTx, job: NewJob) {
  return tx.job.create({
    data: {
      kind: job.kind,
      input: job.input as Prisma.InputJsonValue,
      requestId: job.requestId ?? null,
      serviceId: job.serviceId ?? null,
      createdById: job.createdById ?? null,
      automatic: job.automatic ?? false,
    },
  });
}

/** Keyed by the job id: sending the same job twice (two DBAs approving at once) queues it once. */
export async function dispatch(boss: PgBoss, jobId: string): Promise<void> {
  await boss.send(QUEUE, { jobId }, { singletonKey: jobId });
}
