import type PgBoss from "pg-boss";
import type { Db } from "../db/client";
import { log } from "../log";
import { processMetrics } from "../ops/metrics";
import { startLibraSync } from "./libra-sync";
import { holdJob } from "./ownership";
import { dispatch, QUEUE, startQueue } from "./queue";
import { JOBS } from "./registry";
import { runJob } from "./runner";

const RECLAIM_EVERY_MS = 30_000;
/** Jobs one worker process runs at once (HEDWIG_JOB_SLOTS, default 4). */
const JOB_SLOTS = Math.max(1, Number(process.env.HEDWIG_JOB_SLOTS ?? 4) || 4);

/**
 * Re-queues the jobs no live worker holds: left QUEUED or RUNNING by a process that died. Their
 * pg-boss message may still count as active; it is failed first, so the stately queue takes the new one.
 */
export async function reclaimAbandoned(db: Db, boss: PgBoss, url: string): Promise<number> {
  const open = await db.job.findMany({ where: { status: { in: ["QUEUED", "RUNNING"] } }, select: { id: true } });
  let reclaimed = 0;
  for (const job of open) {
    const release = await holdJob(url, job.id);
    if (!release) continue; // a live worker is running it
    try {
      const stale = await db.$queryRaw<{ id: string }[]>`
        SELECT "id"::text FROM "pgboss"."job" WHERE "name" = ${QUEUE} AND "singleton_key" = ${job.id} AND "state" = 'active'`;
      if (stale.length) {
        await boss.fail(
          QUEUE,
          stale.map((s) => s.id),
        );
        reclaimed++;
      }
      await dispatch(boss, job.id);
    } finally {
      await release();
    }
  }
  return reclaimed;
}

/**
 * Takes jobs from the queue, a few at a time, and runs each while holding it (see ownership.ts).
 * Several workers (processes) can share one database; each re-queues abandoned jobs at start and
 * every 30 s, so a job whose worker was killed resumes within half a minute.
 */
export async function startWorker(db: Db, url: string): Promise<PgBoss> {
  const wlog = log.child({ part: "worker" });
  const boss = await startQueue(url);
  const reclaim = async () => {
    const n = await reclaimAbandoned(db, boss, url).catch((e: Error) => (wlog.error({ err: e.message }, "reclaim failed"), 0));
    if (n) wlog.info({ requeued: n }, "re-queued jobs a dead worker had left");
  };
  await reclaim();
  const timer = setInterval(() => void reclaim(), RECLAIM_EVERY_MS);
  timer.unref();
  boss.on("stopped", () => clearInterval(timer));
  const run = async ([message]: PgBoss.Job<{ jobId: string }>[]) => {
    const job = await db.job.findUnique({ where: { id: message!.data.jobId } });
    if (!job) return;
    const def = JOBS[job.kind];
    if (!def) throw new Error(`no worker knows jobs of kind "${job.kind}"`);
    const release = await holdJob(url, job.id);
    if (!release) return; // another live worker has it; this message is a duplicate
    const t0 = performance.now();
    let status = "THREW";
    try {
      status = await runJob(db, job.id, def);
    } finally {
      processMetrics.jobDuration.observe({ kind: job.kind, status }, (performance.now() - t0) / 1000);
      await release();
    }
  };
  // Several slots per process: a ten-minute demo-traffic job or a slow host must not hold back a
  // delivery. Jobs on one service are serialised where they are submitted, not here.
  for (let slot = 0; slot < JOB_SLOTS; slot++) await boss.work<{ jobId: string }>(QUEUE, { pollingIntervalSeconds: 1 }, run);
  await startLibraSync(db, boss, url);
  return boss;
}
