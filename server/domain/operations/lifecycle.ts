import { text } from "../../../lib/text";
import type { JobDefinition, Step } from "../../jobs/steps";
import { startTarget, stopTarget } from "./daemon";
import type { InstanceOpInput } from "./kinds";
import { loadTarget } from "./target";

type State = { wasRunning?: boolean };

const startStep: Step<InstanceOpInput, State> = {
  name: text("jobs.steps.startProcess"),
  run: async (ctx) => {
    const t = await loadTarget(ctx.db, ctx.input.instanceId);
    if (ctx.state.wasRunning === undefined) await ctx.save({ wasRunning: await t.exec.isListening(t.ip, t.port, 0) });
    await startTarget(ctx.db, ctx.log, t);
  },
  // A process that came up but never answered is stopped again; one that ran before is left alone.
  // Hedwig's own restart that fails keeps the instance desired RUNNING: the reconciler tries again or escalates.
  undo: async (ctx) => {
    if (ctx.state.wasRunning !== false) return;
    const job = await ctx.db.job.findUnique({ where: { id: ctx.jobId }, select: { automatic: true } });
    await stopTarget(ctx.db, ctx.log, await loadTarget(ctx.db, ctx.input.instanceId), { keepDesired: job?.automatic === true });
  },
};

const stopStep: Step<InstanceOpInput, State> = {
  name: text("jobs.steps.stopProcess"),
  run: async (ctx) => {
    const t = await loadTarget(ctx.db, ctx.input.instanceId);
    if (t.inst.role === "MASTER" && (await ctx.db.instance.count({ where: { serviceId: t.inst.serviceId, role: "SENTINEL" } })) > 0) {
      await ctx.log.warn(text("jobs.log.daemon.sentinelWatched", { label: t.label }));
    }
    await stopTarget(ctx.db, ctx.log, t);
  },
};

export const startJob: JobDefinition<InstanceOpInput, State> = { kind: "instance.start", steps: [startStep] };
export const stopJob: JobDefinition<InstanceOpInput, State> = { kind: "instance.stop", steps: [stopStep] };
export const restartJob: JobDefinition<InstanceOpInput, State> = { kind: "instance.restart", steps: [stopStep, startStep] };
