import { z } from "zod";
import { getJob } from "../../domain/jobs/jobs";
import { jobDetailOut, rest, typed } from "../openapi-schemas";
import { authedProcedure, createTRPCRouter } from "../trpc";

/** A job and its steps, for whoever may see its request or service (the log streams from /api/v1/jobs/{id}/log). */
export const jobsRouter = createTRPCRouter({
  get: authedProcedure
    .meta(rest("GET", "/jobs/{id}", "A job's status and steps (its log streams from /api/v1/jobs/{id}/log)", ["jobs"]))
    .input(z.object({ id: z.uuid("a job id is a UUID") }))
    .output(typed(jobDetailOut, getJob))
    .query(({ ctx, input }) => getJob(ctx.db, ctx.actor, input.id)),
});
