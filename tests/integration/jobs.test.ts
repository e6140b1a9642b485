import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db/client";
import { createJob, dispatch, QUEUE, startQueue } from "../../server/jobs/queue";
import { runJob } from "../../server/jobs/runner";
import type { JobDefinition } from "../../server/jobs/steps";
import { freshDatabase } from "./db";

let db: Db;
let url: string;
beforeAll(async () => {
  ({ db, url } = await freshDatabase());
});

type State = { made?: string[] };
/** A job whose steps record what they did in a list, so order and undo are visible. */
function recorder(trail: string[], failAt?: number): JobDefinition<{ n: number }, State> {
  return {
    kind: "test",
    steps: ["a", "b", "c"].map((name, i) => ({
      name: { code: name },
      run: async (ctx) => {
        trail.push(`run ${name}`);
        if (i === failAt) throw new Error(`${name} broke`);
        await ctx.save({ made: [...(ctx.state.made ?? []), name] });
      },
      undo: async () => void trail.push(`undo ${name}`),
    })),
  };
}

describe("job runner", () => {
  it("runs every step in order, records them and their log", async () => {
    const trail: string[] = [];
    const job = await createJob(db, { kind: "test", input: { n: 1 } });
    expect(await runJob(db, job.id, recorder(trail))).toBe("SUCCEEDED");
    expect(trail).toEqual(["run a", "run b", "run c"]);
    const after = await db.job.findUniqueOrThrow({ where: { id: job.id }, include: { steps: { orderBy: { index: "asc" } } } });
    expect(after).toMatchObject({ status: "SUCCEEDED", state: { made: ["a", "b", "c"] } });
    expect(after.steps.map((s) => s.status)).toEqual(["DONE", "DONE", "DONE"]);
    expect(await db.jobLog.count({ where: { jobId: job.id } })).toBe(6);
  });

  it("a failing step undoes itself and every finished step, newest first, and the job says why", async () => {
    const trail: string[] = [];
    const job = await createJob(db, { kind: "test", input: { n: 2 } });
    expect(await runJob(db, job.id, recorder(trail, 2))).toBe("FAILED");
    expect(trail).toEqual(["run a", "run b", "run c", "undo c", "undo b", "undo a"]);
    const after = await db.job.findUniqueOrThrow({ where: { id: job.id }, include: { steps: { orderBy: { index: "asc" } } } });
    expect(after).toMatchObject({ status: "FAILED", error: "c: c broke" });
    expect(after.steps.map((s) => s.status)).toEqual(["UNDONE", "UNDONE", "FAILED"]);
  });

  it("a run interrupted after its first step resumes with the second", async () => {
    const trail: string[] = [];
    const job = await createJob(db, { kind: "test", input: { n: 3 } });
    await db.jobStep.createMany({ data: ["a", "b", "c"].map((name, index) => ({ jobId: job.id, index, name, status: index === 0 ? "DONE" : "PENDING" })) });
    await db.job.update({ where: { id: job.id }, data: { status: "RUNNING", attempt: 1, state: { made: ["a"] } } });
    expect(await runJob(db, job.id, recorder(trail))).toBe("SUCCEEDED");
    expect(trail).toEqual(["run b", "run c"]);
    expect((await db.job.findUniqueOrThrow({ where: { id: job.id } })).state).toEqual({ made: ["a", "b", "c"] });
  });

  it("the queue delivers a dispatched job to a worker once, even when dispatched twice", async () => {
    const boss = await startQueue(url);
    try {
      const trail: string[] = [];
      const job = await createJob(db, { kind: "test", input: { n: 4 } });
      await dispatch(boss, job.id);
      await dispatch(boss, job.id);
      const seen: string[] = [];
      await boss.work<{ jobId: string }>(QUEUE, { pollingIntervalSeconds: 0.5 }, async ([j]) => {
        seen.push(j!.data.jobId);
        await runJob(db, j!.data.jobId, recorder(trail));
      });
      for (let i = 0; i < 40 && (await db.job.findUniqueOrThrow({ where: { id: job.id } })).status !== "SUCCEEDED"; i++)
        await new Promise((r) => setTimeout(r, 250));
      expect((await db.job.findUniqueOrThrow({ where: { id: job.id } })).status).toBe("SUCCEEDED");
      await new Promise((r) => setTimeout(r, 1500));
      expect(seen).toEqual([job.id]);
    } finally {
      await boss.stop({ graceful: false, wait: true });
    }
  });
});
