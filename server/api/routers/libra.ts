import { z } from "zod";
import { idSchema } from "../../domain/bounds";
import { emergencyMember } from "../../domain/lb/emergency";
import { liveMembers } from "../../domain/lb/live-status";
import { diffVersions, previewPool } from "../../domain/lb/preview";
import {
  capabilities,
  getApplication,
  getPool,
  getRun,
  getVersion,
  listPools,
  listRuns,
  listTemplates,
  listVersions,
  requirePool,
} from "../../domain/lb/queries";
import { restoreVersion } from "../../domain/lb/rollback";
import {
  applicationInput,
  balanceConfigInput,
  healthCheckInput,
  memberInput,
  memberUpdateInput,
  poolInput,
  vipInput,
  vipRanges,
} from "../../domain/lb/schemas";
import { setSyncInterval, syncIntervalSeconds } from "../../domain/lb/settings";
import {
  addMember,
  createApplication,
  createPool,
  setPoolVipRange,
  removeApplication,
  removeMember,
  saveBalanceConfig,
  saveHealthCheck,
  setTemplates,
  setVip,
  updateMember,
} from "../../domain/lb/store";
import { dispatchLibraSync } from "../../jobs/dispatcher";
import { applicationOut, emergencyOut, poolOut, rest, typed } from "../openapi-schemas";
import { createTRPCRouter, procedureFor } from "../trpc";

/** Libra: DBAs and ADMINs change load balancing; NOC reads it; BUSINESS does not see it (VIPs are fleet plumbing, and a service's entry is on its own page). */
const id = idSchema;

export const libraRouter = createTRPCRouter({
  capabilities: procedureFor("readFleet").query(() => capabilities()),
  pools: procedureFor("readFleet")
    .meta(rest("GET", "/libra/pools", "Load-balancer pools", ["libra"]))
    .output(typed(z.array(poolOut), listPools))
    .query(({ ctx }) => listPools(ctx.db)),
  pool: procedureFor("readFleet")
    .meta(rest("GET", "/libra/pools/{poolId}", "A pool with its servers and applications", ["libra"]))
    .output(typed(poolOut, getPool))
    .input(z.object({ poolId: id }))
    .query(({ ctx, input }) => getPool(ctx.db, input.poolId)),
  application: procedureFor("readFleet")
    .meta(rest("GET", "/libra/applications/{appId}", "An application with its VIP and members", ["libra"]))
    .output(typed(applicationOut, getApplication))
    .input(z.object({ appId: id }))
    .query(({ ctx, input }) => getApplication(ctx.db, input.appId)),
  liveMembers: procedureFor("readFleet")
    .input(z.object({ appId: id }))
    .query(({ ctx, input }) => liveMembers(ctx.db, input.appId)),
  templates: procedureFor("readFleet").query(({ ctx }) => listTemplates(ctx.db)),
  preview: procedureFor("readFleet")
    .input(z.object({ poolId: id }))
    .query(({ ctx, input }) => previewPool(ctx.db, input.poolId)),
  versions: procedureFor("readFleet")
    .input(z.object({ poolId: id }))
    .query(({ ctx, input }) => listVersions(ctx.db, input.poolId)),
  version: procedureFor("readFleet")
    .input(z.object({ poolId: id, number: id }))
    .query(({ ctx, input }) => getVersion(ctx.db, input.poolId, input.number)),
  diff: procedureFor("readFleet")
    .input(z.object({ poolId: id, from: id, to: id }))
    .query(({ ctx, input }) => diffVersions(ctx.db, input.poolId, input.from, input.to)),
  runs: procedureFor("readFleet")
    .input(z.object({ poolId: id, limit: z.number().int().min(1).max(200).default(50) }))
    .query(({ ctx, input }) => listRuns(ctx.db, input.poolId, input.limit)),
  run: procedureFor("readFleet")
    .input(z.object({ runId: id }))
    .query(({ ctx, input }) => getRun(ctx.db, input.runId)),
  settings: procedureFor("readFleet").query(async ({ ctx }) => ({ syncIntervalSeconds: await syncIntervalSeconds(ctx.db) })),

  createPool: procedureFor("operate")
    .input(poolInput)
    .mutation(({ ctx, input }) => createPool(ctx.db, ctx.actor, input)),
  setPoolVipRange: procedureFor("operate")
    .input(z.object({ poolId: id, vipRange: vipRanges }))
    .mutation(({ ctx, input }) => setPoolVipRange(ctx.db, ctx.actor, input.poolId, input.vipRange)),
  createHealthCheck: procedureFor("operate")
    .input(healthCheckInput)
    .mutation(({ ctx, input }) => saveHealthCheck(ctx.db, ctx.actor, input)),
  updateHealthCheck: procedureFor("operate")
    .input(z.object({ id, check: healthCheckInput }))
    .mutation(({ ctx, input }) => saveHealthCheck(ctx.db, ctx.actor, input.check, input.id)),
  createBalanceConfig: procedureFor("operate")
    .input(balanceConfigInput)
    .mutation(({ ctx, input }) => saveBalanceConfig(ctx.db, ctx.actor, input)),
  updateBalanceConfig: procedureFor("operate")
    .input(z.object({ id, config: balanceConfigInput }))
    .mutation(({ ctx, input }) => saveBalanceConfig(ctx.db, ctx.actor, input.config, input.id)),
  createApplication: procedureFor("operate")
    .input(applicationInput)
    .mutation(({ ctx, input }) => createApplication(ctx.db, ctx.actor, input)),
  removeApplication: procedureFor("operate")
    .input(z.object({ appId: id }))
    .mutation(({ ctx, input }) => removeApplication(ctx.db, ctx.actor, input.appId)),
  setVip: procedureFor("operate")
    .input(z.object({ appId: id, vip: vipInput }))
    .mutation(({ ctx, input }) => setVip(ctx.db, ctx.actor, input.appId, input.vip)),
  setTemplates: procedureFor("operate")
    .input(z.object({ appId: id, healthCheckId: id, balanceConfigId: id }))
    .mutation(({ ctx, input }) => setTemplates(ctx.db, ctx.actor, input.appId, input)),
  addMember: procedureFor("operate")
    .input(z.object({ appId: id, member: memberInput }))
    .mutation(({ ctx, input }) => addMember(ctx.db, ctx.actor, input.appId, input.member)),
  updateMember: procedureFor("operate")
    .input(memberUpdateInput)
    .mutation(({ ctx, input }) => updateMember(ctx.db, ctx.actor, input).then((r) => r.member)),
  removeMember: procedureFor("operate")
    .input(z.object({ memberId: id }))
    .mutation(({ ctx, input }) => removeMember(ctx.db, ctx.actor, input.memberId)),
  emergency: procedureFor("operate")
    .meta(rest("POST", "/libra/members/{memberId}/emergency", "Drain, disable, enable or reweight a member now on every server", ["libra"]))
    .output(typed(emergencyOut, emergencyMember))
    .input(memberUpdateInput)
    .mutation(({ ctx, input }) => emergencyMember(ctx.db, ctx.actor, input)),
  applyNow: procedureFor("operate")
    .input(z.object({ poolId: id }))
    .mutation(async ({ ctx, input }) => {
      await requirePool(ctx.db, input.poolId);
      await dispatchLibraSync({ poolId: input.poolId, trigger: "apply", actorName: ctx.actor.username });
      return { queued: true };
    }),
  rollback: procedureFor("operate")
    .input(z.object({ poolId: id, number: id }))
    .mutation(async ({ ctx, input }) => {
      await restoreVersion(ctx.db, ctx.actor, input.poolId, input.number);
      await dispatchLibraSync({ poolId: input.poolId, trigger: "rollback", actorName: ctx.actor.username });
      return { queued: true };
    }),
  setSyncInterval: procedureFor("operate")
    .input(z.object({ seconds: z.number().int().min(2, "refusals.fields.syncInterval").max(3600, "refusals.fields.syncInterval") }))
    .mutation(({ ctx, input }) => setSyncInterval(ctx.db, ctx.actor, input.seconds)),
});
