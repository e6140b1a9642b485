import type { Redis } from "ioredis";
import type { Software } from "../../../generated/prisma/enums";
import { text } from "../../../lib/text";
import type { Db, DbTx } from "../../db/client";
import type { JobDefinition, StepContext } from "../../jobs/steps";
import { badInput, notFound, precondition } from "../errors";
import { loadTarget, type Target } from "../operations/target";
import { withRedis } from "../provisioning/deploy/probes";
import type { Persistence } from "../provisioning/request-schema";
import { DEFAULT_SENTINEL_TIMINGS, TWEMPROXY_SENTINEL_TIMINGS } from "../provisioning/configs/sentinel-conf";
import { diffParams, normalizeParams, paramDef, PERSISTENCES, type ParamChange, type ServiceParams } from "./params-catalog";
import { redisConfigSet } from "./render-params";
import { baseConfig, currentConfig, writeRendered, type ConfigState } from "./rendered";
import { redeployOne } from "./rolling";

export const PARAMETERS_KIND = "service.parameters";

export type ParametersInput = {
  serviceId: number;
  /** the whole set wanted (what is not named goes back to its default) */
  params: ServiceParams;
  persistence: Persistence;
  note?: string;
  /** the version this change brings back */
  rollbackOf?: number;
};

type State = { before?: ConfigState; versionNumber?: number; restarted?: number[] };
type Ctx = StepContext<ParametersInput, State>;

const SOFTWARES: Record<string, Software[]> = {
  REDIS_STANDALONE: ["REDIS"],
  REDIS_SENTINEL: ["REDIS", "REDIS_SENTINEL"],
  REDIS_TWEMPROXY: ["REDIS", "REDIS_SENTINEL", "TWEMPROXY"],
  MEMCACHED: ["MEMCACHED"],
  MEMCACHED_TWEMPROXY: ["MEMCACHED", "TWEMPROXY"],
};

/** The softwares a service runs (by its instances), and whether its proxies front Memcached. */
async function shapeOf(db: DbTx, serviceId: number) {
  const service = await db.service.findUnique({ where: { id: serviceId }, include: { instances: { select: { software: true } } } });
  if (!service) throw notFound(text("errors.domain.notFound.service", { id: serviceId }));
  const softwares = [...new Set([...(SOFTWARES[service.kind] ?? []), ...service.instances.map((i) => i.software)])];
  return { service, softwares, memcachedPool: service.kind === "MEMCACHED_TWEMPROXY" };
}

/**
 * Refuses what cannot be applied, with the reason; otherwise the normalized change and its diff
 * against the current version. Memcached keeps no data on disk, so it has no persistence to choose.
 */
export async function checkParameters(db: DbTx, input: ParametersInput) {
  const { service, softwares, memcachedPool } = await shapeOf(db, input.serviceId);
  if (service.isDemo) throw precondition(text("dayTwo.errors.demo", { service: service.name }));
  if (service.adopted) throw precondition(text("dayTwo.errors.adopted", { service: service.name }));
  if (!PERSISTENCES.includes(input.persistence)) throw badInput(text("dayTwo.errors.persistence", { value: String(input.persistence) }));
  if (input.persistence !== "none" && !softwares.includes("REDIS")) throw badInput(text("dayTwo.errors.memcachedPersistence"));
  const params = normalizeParams(input.params, softwares, memcachedPool);
  const current = await currentConfig(db, input.serviceId);
  const changes = diffParams(current.params, params);
  if (changes.length === 0 && current.persistence === input.persistence) throw badInput(text("dayTwo.errors.nothingChanges"));
  return { service, params, current, changes };
}

/** What a parameter is when the DBA sets nothing, for a service of this persistence and kind. */
function defaultOf(software: Software, key: string, persistence: Persistence, twemproxy: boolean): string {
  if (software === "REDIS" && key === "maxmemory-policy") return persistence === "none" ? "allkeys-lru" : "noeviction";
  if (software === "REDIS_SENTINEL") {
    const base = twemproxy ? TWEMPROXY_SENTINEL_TIMINGS : DEFAULT_SENTINEL_TIMINGS;
    if (key === "down-after-milliseconds") return String(base.downAfterMs);
    if (key === "failover-timeout") return String(base.failoverTimeoutMs);
  }
  return paramDef(software, key)!.default!;
}

const RDB_SAVE = "3600 1 300 100 60 10000";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitAofWritten(r: Redis, label: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const info = await r.info("persistence");
    const field = (k: string) => new RegExp(`^${k}:(\\S+)`, "m").exec(info)?.[1];
    if (field("aof_enabled") === "1" && field("aof_rewrite_in_progress") === "0" && field("aof_rewrite_scheduled") === "0") return;
    if (Date.now() > deadline) throw precondition(text("jobErrors.dayTwo.aofBusy", { label }));
    await sleep(100);
  }
}

/**
 * Switches a running Redis between none, RDB and AOF. Turning AOF on makes Redis write the whole
 * dataset into a new AOF first; until that rewrite ends the AOF is not a copy yet, so the switch
 * waits for it before snapshots stop.
 */
async function switchPersistence(r: Redis, label: string, to: Persistence) {
  if (to === "aof") {
    await r.call("CONFIG", "SET", "appendonly", "yes");
    await waitAofWritten(r, label);
    await r.call("CONFIG", "SET", "save", "");
  } else {
    await r.call("CONFIG", "SET", "save", to === "rdb" ? RDB_SAVE : "");
    await r.call("CONFIG", "SET", "appendonly", "no");
  }
}

/** Redis's and Sentinel's live part: CONFIG SET then CONFIG REWRITE on each Redis, SENTINEL SET on each Sentinel. */
async function applyLive(ctx: Ctx, from: ConfigState, to: ConfigState) {
  const db = ctx.db;
  const service = await db.service.findUniqueOrThrow({ where: { id: ctx.input.serviceId } });
  const twemproxy = service.kind === "REDIS_TWEMPROXY";
  const changes = diffParams(from.params, to.params);
  const instances = await db.instance.findMany({ where: { serviceId: service.id, software: { in: ["REDIS", "REDIS_SENTINEL"] } }, orderBy: { id: "asc" } });
  // replicas first: a wrong value shows on a replica before it reaches a master
  instances.sort((a, b) => Number(a.role === "MASTER") - Number(b.role === "MASTER"));
  const value = (c: ParamChange) => c.to ?? defaultOf(c.software, c.key, to.persistence, twemproxy);
  // a policy the DBA never set follows the persistence (a cache evicts, persisted data does not)
  const policyFollows = from.persistence !== to.persistence && !to.params.REDIS?.["maxmemory-policy"] && !changes.some((c) => c.key === "maxmemory-policy");
  for (const inst of instances) {
    const t: Target = await loadTarget(db, inst.id);
    if (inst.software === "REDIS") {
      const redisChanges = changes.filter((c) => c.software === "REDIS");
      if (redisChanges.length === 0 && from.persistence === to.persistence) continue;
      await withRedis(t, async (r) => {
        for (const c of redisChanges) {
          const [name, v] = redisConfigSet(c.key, value(c));
          await r.call("CONFIG", "SET", name, v);
          await ctx.log.info(text("dayTwo.log.configSet", { label: t.label, key: c.key, value: v }));
        }
        if (from.persistence !== to.persistence) {
          await switchPersistence(r, t.label, to.persistence);
          await ctx.log.info(text("dayTwo.log.persistence", { label: t.label, from: from.persistence, to: to.persistence }));
          if (policyFollows) await r.call("CONFIG", "SET", "maxmemory-policy", defaultOf("REDIS", "maxmemory-policy", to.persistence, twemproxy));
        }
        // into redis.conf too, so a restart before the next redeploy keeps it
        await r.call("CONFIG", "REWRITE");
      });
    } else {
      const sentinelChanges = changes.filter((c) => c.software === "REDIS_SENTINEL");
      if (sentinelChanges.length === 0) continue;
      await withRedis(t, async (r) => {
        const masters = (await r.call("SENTINEL", "MASTERS")) as string[][];
        for (const row of masters) {
          const name = row[row.indexOf("name") + 1]!;
          // Sentinel writes SENTINEL SET into its own sentinel.conf at once
          for (const c of sentinelChanges) await r.call("SENTINEL", "SET", name, c.key, value(c));
        }
        await ctx.log.info(
          text("dayTwo.log.sentinelSet", { label: t.label, masters: masters.length, values: sentinelChanges.map((c) => `${c.key}=${value(c)}`).join(", ") }),
        );
      });
    }
  }
}

/** The instances a change must restart (their software reads the changed values only at start), in a safe order. */
async function toRestart(db: DbTx, serviceId: number, changes: ParamChange[]) {
  const softwares = [...new Set(changes.filter((c) => paramDef(c.software, c.key)?.apply === "restart").map((c) => c.software))];
  if (softwares.length === 0) return [];
  return db.instance.findMany({ where: { serviceId, software: { in: softwares } }, orderBy: [{ software: "asc" }, { id: "asc" }] });
}

const wanted = (ctx: Ctx, before: ConfigState): ConfigState => ({ number: before.number + 1, params: ctx.input.params, persistence: ctx.input.persistence });

export const parametersJob: JobDefinition<ParametersInput, State> = {
  kind: PARAMETERS_KIND,
  steps: [
    {
      name: text("dayTwo.steps.check"),
      run: async (ctx) => {
        if (ctx.state.before) return;
        const { current, changes } = await checkParameters(ctx.db, ctx.input);
        await ctx.save({ before: current });
        for (const c of changes)
          await ctx.log.info(text("dayTwo.log.change", { software: c.software, key: c.key, from: c.from ?? "default", to: c.to ?? "default" }));
        if (current.persistence !== ctx.input.persistence)
          await ctx.log.info(text("dayTwo.log.persistenceChange", { from: current.persistence, to: ctx.input.persistence }));
      },
    },
    {
      name: text("dayTwo.steps.live"),
      run: async (ctx) => applyLive(ctx, ctx.state.before!, wanted(ctx, ctx.state.before!)),
      undo: async (ctx) => {
        if (ctx.state.before) await applyLive(ctx, wanted(ctx, ctx.state.before), ctx.state.before);
      },
    },
    {
      name: text("dayTwo.steps.render"),
      run: async (ctx) => {
        const before = ctx.state.before!;
        const next = wanted(ctx, before);
        const job = await ctx.db.job.findUniqueOrThrow({ where: { id: ctx.jobId }, include: { createdBy: { select: { username: true } } } });
        await ctx.db.serviceConfigVersion.upsert({
          where: { serviceId_number: { serviceId: ctx.input.serviceId, number: next.number } },
          create: {
            serviceId: ctx.input.serviceId,
            number: next.number,
            params: next.params,
            persistence: next.persistence,
            note: ctx.input.note ?? "",
            rollbackOf: ctx.input.rollbackOf ?? null,
            jobId: ctx.jobId,
            createdBy: job.createdBy?.username ?? null,
          },
          update: {},
        });
        await ctx.save({ versionNumber: next.number });
        const written = await writeRendered(ctx.db, ctx.input.serviceId);
        await ctx.log.info(text("dayTwo.log.rendered", { version: next.number, n: written.length }));
      },
      undo: async (ctx) => {
        if (ctx.state.versionNumber === undefined) return;
        await ctx.db.serviceConfigVersion.deleteMany({ where: { serviceId: ctx.input.serviceId, number: ctx.state.versionNumber, jobId: ctx.jobId } });
        await writeRendered(ctx.db, ctx.input.serviceId);
      },
    },
    {
      name: text("dayTwo.steps.rolling"),
      run: async (ctx) => {
        const changes = diffParams(ctx.state.before!.params, ctx.input.params);
        const targets = await toRestart(ctx.db, ctx.input.serviceId, changes);
        if (targets.length === 0) return ctx.log.info(text("dayTwo.log.noRestart"));
        for (const inst of targets) {
          if (ctx.state.restarted?.includes(inst.id)) continue;
          if (inst.software === "MEMCACHED") await ctx.log.warn(text("dayTwo.log.memcachedEmpties", { address: `${inst.port}` }));
          await redeployOne(ctx.db, ctx.log, inst.id);
          await ctx.save({ restarted: [...(ctx.state.restarted ?? []), inst.id] });
        }
      },
      // the files went back with the version (the step before): what restarted runs the old values again
      undo: async (ctx) => {
        for (const id of ctx.state.restarted ?? []) await redeployOne(ctx.db, ctx.log, id);
      },
    },
  ],
};

/** The versions of a service's configuration, newest first, each with what it changed against the one before. */
export async function listConfigVersions(db: Db, serviceId: number) {
  const rows = await db.serviceConfigVersion.findMany({ where: { serviceId }, orderBy: { number: "desc" }, take: 50 });
  const current = await currentConfig(db, serviceId);
  const base = rows.length ? await baseConfig(db, serviceId) : current;
  return {
    current,
    versions: rows.map((v, k) => {
      const prev = rows[k + 1] ? { params: rows[k + 1]!.params as ServiceParams, persistence: rows[k + 1]!.persistence } : base;
      return {
        ...v,
        changes: diffParams(prev.params, v.params as ServiceParams),
        persistenceFrom: prev.persistence !== v.persistence ? prev.persistence : null,
      };
    }),
  };
}

/**
 * The change that undoes version `number`: the configuration before it (the one before, or the
 * deployment's), applied again as a new version.
 */
export async function rollbackInput(db: DbTx, serviceId: number, number: number): Promise<ParametersInput> {
  const version = await db.serviceConfigVersion.findUnique({ where: { serviceId_number: { serviceId, number } }, include: { service: true } });
  if (!version) {
    const service = await db.service.findUnique({ where: { id: serviceId }, select: { name: true } });
    throw notFound(text("dayTwo.errors.noVersion", { number, service: service?.name ?? String(serviceId) }));
  }
  const prev = number > 1 ? await db.serviceConfigVersion.findUnique({ where: { serviceId_number: { serviceId, number: number - 1 } } }) : null;
  const target = prev ? { params: prev.params as ServiceParams, persistence: prev.persistence as Persistence } : await baseConfig(db, serviceId);
  return { serviceId, params: target.params, persistence: target.persistence, rollbackOf: number - 1, note: `rollback of version ${number}` };
}
