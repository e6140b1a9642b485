import { text } from "../../../lib/text";
import type { DbTx } from "../../db/client";
import type { JobDefinition } from "../../jobs/steps";
import { badInput, precondition } from "../errors";
import { hostUsage } from "../inventory/hosts";
import { withRedis } from "../provisioning/deploy/probes";
import type { MaxmemoryInput } from "./kinds";
import { loadTarget, type Target } from "./target";

const MB = 1024 * 1024;

type State = { before?: { bytes: number; maxmemoryMb: number | null; memoryMb: number } };

/**
 * Refuses what the instance or its host cannot carry: below what Redis already uses (it would evict
 * or refuse writes at once), or beyond the instance's reservation plus what the host has free.
 */
export async function checkMaxmemory(db: DbTx, t: Target, mb: number): Promise<{ usedBytes: number }> {
  if (t.software !== "REDIS") throw badInput(text("errors.domain.ops.notRedis", { address: t.address, software: t.software }));
  const info = await withRedis(t, (r) => r.info("memory")).catch((e: Error) => {
    throw precondition(text("errors.domain.ops.silent", { label: t.label, why: e.message }));
  });
  const usedBytes = Number(/^used_memory:(\d+)/m.exec(info)?.[1] ?? 0);
  if (mb * MB < usedBytes) {
    throw badInput(text("errors.domain.ops.belowUsed", { mb, used: Math.ceil(usedBytes / MB), address: t.address }));
  }
  const used = (await hostUsage(db, [t.inst.hostId])).get(t.inst.hostId)?.usedMemoryMb ?? 0;
  const free = Math.max(0, t.inst.host.memoryMb - used);
  const limit = t.inst.memoryMb + free;
  if (mb > limit) {
    throw badInput(text("errors.domain.ops.noRoom", { mb, ip: t.ip, reserved: t.inst.memoryMb, free, limit }));
  }
  return { usedBytes };
}

const configSet = (t: Target, bytes: number) =>
  withRedis(t, async (r) => {
    await r.call("CONFIG", "SET", "maxmemory", String(bytes));
    // into redis.conf, so a restart keeps it
    await r.call("CONFIG", "REWRITE");
  });

export const maxmemoryJob: JobDefinition<MaxmemoryInput, State> = {
  kind: "instance.maxmemory",
  steps: [
    {
      name: text("jobs.steps.maxmemory.check"),
      run: async (ctx) => {
        const t = await loadTarget(ctx.db, ctx.input.instanceId);
        const { usedBytes } = await checkMaxmemory(ctx.db, t, ctx.input.maxmemoryMb);
        const [, bytes] = (await withRedis(t, (r) => r.call("CONFIG", "GET", "maxmemory"))) as [string, string];
        await ctx.save({ before: { bytes: Number(bytes), maxmemoryMb: t.inst.maxmemoryMb, memoryMb: t.inst.memoryMb } });
        await ctx.log.info(
          text("jobs.log.maxmemory.usage", { label: t.label, usedMb: (usedBytes / MB).toFixed(1), fromMb: Number(bytes) / MB, toMb: ctx.input.maxmemoryMb }),
        );
      },
    },
    {
      name: text("jobs.steps.maxmemory.set"),
      run: async (ctx) => {
        const t = await loadTarget(ctx.db, ctx.input.instanceId);
        const mb = ctx.input.maxmemoryMb;
        await configSet(t, mb * MB);
        // A larger limit raises what the instance reserves on its host, so the scheduler counts it.
        await ctx.db.instance.update({ where: { id: t.inst.id }, data: { maxmemoryMb: mb, memoryMb: Math.max(t.inst.memoryMb, mb) } });
        await ctx.log.info(text("jobs.log.maxmemory.set", { label: t.label, bytes: mb * MB }));
      },
      undo: async (ctx) => {
        const before = ctx.state.before;
        if (!before) return;
        const t = await loadTarget(ctx.db, ctx.input.instanceId);
        await configSet(t, before.bytes);
        await ctx.db.instance.update({ where: { id: t.inst.id }, data: { maxmemoryMb: before.maxmemoryMb, memoryMb: before.memoryMb } });
      },
    },
  ],
};
