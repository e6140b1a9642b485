import type { Prisma } from "../../generated/prisma/client";
import type { Db } from "../db/client";
import { jobLogger } from "./log";
import type { JobDefinition, StepContext } from "./steps";

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Runs a job's steps in order, skipping those a previous attempt finished (a worker killed mid-job
 * resumes here). A failing step stops the job; the finished steps are undone in reverse order and
 * the job ends FAILED with the failing step's message. The success / failure hooks run before the
 * final status is written, so they must be idempotent. Returns the final status.
 */
export async function runJob<Input, State>(db: Db, jobId: string, def: JobDefinition<Input, State>): Promise<"SUCCEEDED" | "FAILED"> {
  const job = await db.job.findUniqueOrThrow({ where: { id: jobId }, include: { steps: { orderBy: { index: "asc" } } } });
  if (job.status === "SUCCEEDED" || job.status === "FAILED") return job.status;
  if (job.steps.length === 0) {
    await db.jobStep.createMany({ data: def.steps.map((s, index) => ({ jobId, index, name: s.name })) });
  }
  let current: number | null = null;
  const log = jobLogger(db, jobId, () => current);
  const ctx: StepContext<Input, State> = {
    db,
    jobId,
    input: job.input as Input,
    state: job.state as State,
    save: async (patch) => {
      ctx.state = { ...ctx.state, ...patch };
      await db.job.update({ where: { id: jobId }, data: { state: ctx.state as Prisma.InputJsonValue } });
    },
    log,
  };
  await db.job.update({ where: { id: jobId }, data: { status: "RUNNING", startedAt: job.startedAt ?? new Date(), attempt: { increment: 1 } } });
  if (job.attempt > 0) await log.warn(`resuming after an interrupted attempt (${job.attempt}); finished steps are skipped`);

  // Died after undoing a failure but before its hook finished: only the hook is left to do.
  if (job.error) {
    await def.onFailed?.(ctx, job.error);
    await db.job.update({ where: { id: jobId }, data: { status: "FAILED", finishedAt: new Date() } });
    return "FAILED";
  }
  const done = new Set((await db.jobStep.findMany({ where: { jobId, status: "DONE" } })).map((s) => s.index));
  for (const [index, step] of def.steps.entries()) {
    if (done.has(index)) continue;
    current = index;
    await db.jobStep.update({ where: { jobId_index: { jobId, index } }, data: { status: "RUNNING", startedAt: new Date(), error: null } });
    await log.info(`▶ ${step.name}`);
    try {
      await step.run(ctx);
    } catch (e) {
      const why = message(e);
      await db.jobStep.update({ where: { jobId_index: { jobId, index } }, data: { status: "FAILED", finishedAt: new Date(), error: why } });
      await log.error(`✖ ${step.name}: ${why}`);
      await undo(db, jobId, def, ctx, index);
      current = null;
      // The hook before the final status: a worker dying in between re-runs the hook (hooks are idempotent).
      await db.job.update({ where: { id: jobId }, data: { error: `${step.name}: ${why}` } });
      await def.onFailed?.(ctx, `${step.name}: ${why}`);
      await db.job.update({ where: { id: jobId }, data: { status: "FAILED", finishedAt: new Date() } });
      return "FAILED";
    }
    await db.jobStep.update({ where: { jobId_index: { jobId, index } }, data: { status: "DONE", finishedAt: new Date() } });
    await log.info(`✔ ${step.name}`);
  }
  current = null;
  await def.onSucceeded?.(ctx);
  await db.job.update({ where: { id: jobId }, data: { status: "SUCCEEDED", finishedAt: new Date() } });
  return "SUCCEEDED";
}

/** Undoes the failed step (it may have half-run) and every finished one, newest first. */
async function undo<Input, State>(db: Db, jobId: string, def: JobDefinition<Input, State>, ctx: StepContext<Input, State>, failed: number) {
  for (let index = failed; index >= 0; index--) {
    const step = def.steps[index]!;
    if (!step.undo) continue;
    try {
      await step.undo(ctx);
      await db.jobStep.update({ where: { jobId_index: { jobId, index } }, data: { status: index === failed ? "FAILED" : "UNDONE" } });
      await ctx.log.info(`↺ undid ${step.name}`);
    } catch (e) {
      await ctx.log.error(`could not undo ${step.name}: ${message(e)} — check by hand`);
    }
  }
}
