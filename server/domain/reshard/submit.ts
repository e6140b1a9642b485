import { z } from "zod";
import { text } from "../../../lib/text";
import type { Db } from "../../db/client";
import { createJob } from "../../jobs/queue";
import type { Actor } from "../access/actor";
import { recordAudit } from "../audit/record";
import { conflict } from "../errors";
import type { Dispatcher } from "../requests/requests";
import { place } from "../scheduler/store/allocations";
import { checkReshard, placeInputForShards, RESHARD_KIND, type ReshardState } from "./job";
import { movingShares, resizedNames } from "./moves";

export const reshardSchema = z.object({ serviceId: z.number().int().positive(), shards: z.number().int().min(1).max(256) });
export type ReshardRequest = z.infer<typeof reshardSchema>;

/**
 * The dry run of a resize: the share of keys that move (ketama: only to new shards or from retired
 * ones), the new shards' masters and replicas as the scheduler would place them now, the retired
 * shards. A size the data does not fit, or that cannot be placed, is refused in words.
 */
export async function planReshard(db: Db, actor: Actor, req: ReshardRequest) {
  const c = await checkReshard(db, req.serviceId, req.shards);
  const names = resizedNames(c.service.name, c.masters.length, req.shards);
  const from = c.masters.map((m, i) => ({ name: `${c.service.name}-${i}`, ip: m.host.ip, port: m.port, weight: 1 }));
  let newShards: { shard: number; master: string; replicas: string[] }[] = [];
  let to = from.filter((s) => !names.retired.includes(s.name));
  if (names.added.length > 0) {
    const r = await place(db, actor, placeInputForShards(c, names.added.length, { ownerRef: null, dryRun: true }));
    newShards = names.added.map((_, i) => ({
      shard: c.masters.length + i,
      master: r.items.filter((it) => it.shardIndex === i && it.role === "MASTER").map((it) => `${it.ip}:${it.port}`)[0] ?? "?",
      replicas: r.items.filter((it) => it.shardIndex === i && it.role !== "MASTER").map((it) => `${it.ip}:${it.port}`),
    }));
    to = [...from, ...newShards.map((s, i) => ({ name: names.added[i]!, ip: "0.0.0.0", port: 1, weight: 1 }))];
  }
  const share = movingShares(from, to).reduce((n, s) => n + s.share, 0);
  return {
    service: c.service.name,
    from: c.masters.length,
    to: req.shards,
    keys: c.keys,
    usedMb: c.usedMb,
    perShardMb: c.perShardMb,
    share,
    movingKeys: Math.round(c.keys * share),
    newShards,
    retiring: names.retired,
  };
}

/** A DBA's resize: one job per service at a time, audited, then queued. */
export async function submitReshard(db: Db, actor: Actor, req: ReshardRequest, dispatch: Dispatcher) {
  const plan = await planReshard(db, actor, req);
  const job = await db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT "id" FROM "Service" WHERE "id" = ${req.serviceId} FOR UPDATE`;
    const busy = await tx.job.findFirst({ where: { serviceId: req.serviceId, status: { in: ["QUEUED", "RUNNING"] } } });
    if (busy)
      throw conflict(text("errors.domain.ops.busy", { kind: busy.kind, job: busy.id.slice(0, 8), status: busy.status.toLowerCase(), service: plan.service }));
    const created = await createJob(tx, { kind: RESHARD_KIND, input: req, serviceId: req.serviceId, createdById: actor.id });
    await recordAudit(tx, actor, {
      action: RESHARD_KIND,
      entityType: "Service",
      entityId: req.serviceId,
      text: text("auditLog.reshard.submit", { service: plan.service, from: plan.from, to: plan.to, keys: plan.movingKeys, job: created.id.slice(0, 8) }),
      after: { jobId: created.id, input: req },
    });
    return created;
  });
  await dispatch(job.id);
  return job;
}

/** The service's latest resize with its steps, log and progress (moved / total, rate, time left). */
export async function latestReshard(db: Db, serviceId: number) {
  const job = await db.job.findFirst({
    where: { serviceId, kind: RESHARD_KIND },
    orderBy: { createdAt: "desc" },
    include: { steps: { orderBy: { index: "asc" } }, logs: { orderBy: { id: "asc" }, take: 500 } },
  });
  if (!job) return null;
  const state = (job.state ?? {}) as ReshardState;
  return {
    ...job,
    input: job.input as ReshardRequest,
    progress: state.progress ?? null,
    state: undefined,
    logs: job.logs.map((l) => ({ ...l, id: l.id.toString() })),
  };
}
