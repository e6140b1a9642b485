import { Prisma } from "../../generated/prisma/client";
import { english } from "../../i18n/load";
import { text, type Text } from "../../lib/text";
import type { Db } from "../db/client";
import { errorText } from "../domain/errors";
import { jobLogger } from "./log";
import type { JobDefinition, StepContext } from "./steps";

const json = (v: unknown) => v as Prisma.InputJsonValue;

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
    await db.jobStep.createMany({ data: def.steps.map((s, index) => ({ jobId, index, name: english(s.name), text: json(s.name) })) });
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
  if (job.attempt > 0) await log.warn(text("jobs.log.resuming", { attempt: job.attempt }));

  // Died after undoing a failure but before its hook finished: only the hook is left to do.
  if (job.error) {
    await def.onFailed?.(ctx, (job.errorText as Text | null) ?? job.error);
    await db.job.update({ where: { id: jobId }, data: { status: "FAILED", finishedAt: new Date() } });
    return "FAILED";
  }
  const done = new Set((await db.jobStep.findMany({ where: { jobId, status: "DONE" } })).map((s) => s.index));
  for (const [index, step] of def.steps.entries()) {
    if (done.has(index)) continue;
    current = index;
    await db.jobStep.update({
      where: { jobId_index: { jobId, index } },
      data: { status: "RUNNING", startedAt: new Date(), error: null, errorText: Prisma.DbNull },
    });
    await log.info(text("jobs.log.stepStarted", { step: step.name }));
    try {
      await step.run(ctx);
    } catch (e) {
      const why = errorText(e);
      await db.jobStep.update({
        where: { jobId_index: { jobId, index } },
        data: { status: "FAILED", finishedAt: new Date(), error: english(why), errorText: typeof why === "string" ? Prisma.DbNull : json(why) },
      });
      await log.error(text("jobs.log.stepFailed", { step: step.name, why }));
      await undo(db, jobId, def, ctx, index);
      current = null;
      // The hook before the final status: a worker dying in between re-runs the hook (hooks are idempotent).
      const failed = text("jobs.log.failedAt", { step: step.name, why });
      await db.job.update({ where: { id: jobId }, data: { error: english(failed), errorText: json(failed) } });
      await def.onFailed?.(ctx, failed);
      await db.job.update({ where: { id: jobId }, data: { status: "FAILED", finishedAt: new Date() } });
      return "FAILED";
    }
    await db.jobStep.update({ where: { jobId_index: { jobId, index } }, data: { status: "DONE", finishedAt: new Date() } });
    await log.info(text("jobs.log.stepDone", { step: step.name }));
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
      await ctx.log.info(text("jobs.log.undone", { step: step.name }));
    } catch (e) {
      await ctx.log.error(text("jobs.log.undoFailed", { step: step.name, why: errorText(e) }));
    }
  }
}
