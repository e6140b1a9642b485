import type { Prisma } from "../../../generated/prisma/client";
import { english } from "../../../i18n/load";
import { text, type Text } from "../../../lib/text";
import type { JobDefinition } from "../../jobs/steps";
import { pickSources } from "../backups/backup-job";
import { loadTarget } from "../operations/target";
import { withRedis } from "../provisioning/deploy/probes";
import { sampleShard, type ShardSample } from "./sample";

export const KEY_ANALYSIS_KIND = "service.keyAnalysis";
export type KeyAnalysisInput = { analysisId: number };
export type ShardResult = ShardSample & { shard: number; source: string; role: "MASTER" | "REPLICA" };
type Source = Awaited<ReturnType<typeof pickSources>>[number];
type State = { sources?: Source[]; done?: ShardResult[] };

export const keyAnalysisJob: JobDefinition<KeyAnalysisInput, State> = {
  kind: KEY_ANALYSIS_KIND,
  steps: [
    {
      name: text("keys.steps.pick"),
      run: async (ctx) => {
        const a = await ctx.db.keyAnalysis.findUniqueOrThrow({ where: { id: ctx.input.analysisId } });
        // a running replica linked to its master, else the master: the same choice as a backup's
        const sources = await pickSources(ctx.db, a.serviceId);
        for (const s of sources) await ctx.log.info(text("keys.log.source", { shard: s.shard, address: s.address, role: s.role.toLowerCase() }));
        await ctx.save({ sources, done: [] });
      },
    },
    {
      name: text("keys.steps.sample"),
      run: async (ctx) => {
        const a = await ctx.db.keyAnalysis.findUniqueOrThrow({ where: { id: ctx.input.analysisId } });
        const done = [...(ctx.state.done ?? [])];
        // shard by shard, each kept as it finishes: a resumed job goes on from the next one
        for (const s of ctx.state.sources!.filter((x) => !done.some((d) => d.shard === x.shard))) {
          const source = await loadTarget(ctx.db, s.instanceId);
          const masterRow = await ctx.db.instance.findFirstOrThrow({
            where: { serviceId: a.serviceId, software: "REDIS", role: "MASTER", shardIndex: source.inst.shardIndex },
          });
          const master = s.role === "MASTER" ? source : await loadTarget(ctx.db, masterRow.id);
          const sample = await withRedis(source, (src) => withRedis(master, (m) => sampleShard(src, m, { keysPerSecond: a.keysPerSecond, top: a.top })));
          done.push({ shard: s.shard, source: s.address, role: s.role, ...sample });
          await ctx.db.keyAnalysis.update({ where: { id: a.id }, data: { shards: done as unknown as Prisma.InputJsonValue } });
          await ctx.save({ done });
          await ctx.log.info(
            text("keys.log.sampled", {
              shard: s.shard,
              keys: sample.scanned,
              seconds: sample.seconds.toFixed(1),
              rate: Math.round(sample.scanned / Math.max(0.001, sample.seconds)),
            }),
          );
          if (!sample.hot) await ctx.log.info(text("keys.log.noLfu", { shard: s.shard, policy: sample.policy }));
        }
      },
    },
  ],
  onSucceeded: async (ctx) => {
    await ctx.db.keyAnalysis.update({ where: { id: ctx.input.analysisId }, data: { sampledAt: new Date() } });
  },
  onFailed: async (ctx, error: Text | string) => {
    await ctx.db.keyAnalysis.update({ where: { id: ctx.input.analysisId }, data: { error: english(error).slice(0, 2000) } });
  },
};
