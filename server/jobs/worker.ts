import type PgBoss from "pg-boss";
import type { Db } from "../db/client";
import { QUEUE, redispatchOrphans, startQueue } from "./queue";
import { JOBS } from "./registry";
import { runJob } from "./runner";

/**
 * Takes jobs from the queue one at a time and runs them. Several workers (processes) can share one
 * database; on start a worker re-queues jobs a dead process left QUEUED or RUNNING, which resume.
 */
export async function startWorker(db: Db, url: string): Promise<PgBoss> {
  const boss = await startQueue(url);
  const requeued = await redispatchOrphans(db, boss);
  if (requeued) console.log(`[worker] re-queued ${requeued} unfinished job(s)`);
  await boss.work<{ jobId: string }>(QUEUE, { pollingIntervalSeconds: 1 }, async ([message]) => {
    const job = await db.job.findUnique({ where: { id: message!.data.jobId } });
    if (!job) return;
    const def = JOBS[job.kind];
    if (!def) throw new Error(`no worker knows jobs of kind "${job.kind}"`);
    await runJob(db, job.id, def);
  });
  return boss;
}
