import { text } from "../../../lib/text";
import type { JobDefinition } from "../../jobs/steps";
import { runInspection } from "./run";

export const INSPECTION_KIND = "fleet.inspect";

/** "Inspect now" as a durable job: the worker runs it, the run row (made when it was asked) follows it. */
export const inspectionJob: JobDefinition<{ runId: number }, Record<string, never>> = {
  kind: INSPECTION_KIND,
  steps: [
    {
      name: text("jobs.steps.inspectFleet"),
      run: async (ctx) => {
        await runInspection(ctx.db, { trigger: "MANUAL", runId: ctx.input.runId });
      },
    },
  ],
};
