import { english } from "../../../i18n/load";
import { text, type Text } from "../../../lib/text";
import type { Db, DbTx } from "../../db/client";
import { recordAudit } from "../audit/record";
import type { PollResult } from "../monitoring/poll";
import { planRoleChanges, type CatalogueRow, type Observed, type RoleChange } from "./role-changes";

const recordRoles = text("jobs.steps.recordRoles");

/** A failover job of Hedwig's that ended this recently still explains what the collector sees. */
const OWN_FAILOVER_GRACE_MS = 120_000;
/** Another worker's answer about an instance counts for this long (it polls its share on the same ticks). */
const OBSERVATION_MAX_AGE_MS = 30_000;

const address = (r: { ip: string; port: number }) => `${r.ip}:${r.port}`;

/** The role a Redis poll saw, from the sample's `extra` (INFO replication). */
function observedOf(up: boolean, extra: unknown): Observed | null {
  if (!up) return { up: false };
  const e = (extra ?? {}) as { role?: unknown; masterHost?: unknown; masterPort?: unknown };
  if (e.role === "master") return { up: true, role: "master" };
  if (e.role === "slave" && typeof e.masterHost === "string" && typeof e.masterPort === "number")
    return { up: true, role: "slave", masterHost: e.masterHost, masterPort: e.masterPort };
  return null;
}

/**
 * The collector's hook: after a tick's polls, the catalogue's roles (Instance.role / masterId) follow
 * what the Redis instances answered, within the same interval, whoever failed them over. A change
 * Hedwig did not make itself (no failover job of its own on the service, running or just ended) is
 * recorded as an automatic job with what was observed, and audited.
 */
export async function followObservedRoles(db: Db, results: PollResult[]): Promise<RoleChange[]> {
  const seen = new Map<number, Observed>();
  for (const r of results) {
    const o = observedOf(r.row.up, r.row.extra);
    if (o) seen.set(r.row.instanceId, o);
  }
  if (seen.size === 0) return [];
  const rows = await db.instance.findMany({
    where: { id: { in: [...seen.keys()] }, software: "REDIS", role: { in: ["MASTER", "REPLICA"] } },
    select: { id: true, serviceId: true, role: true, master: { select: { port: true, host: { select: { ip: true } } } } },
  });
  // Only services where an answer disagrees with the catalogue: the usual tick writes nothing.
  const disagree = rows.filter((r) => {
    const o = seen.get(r.id)!;
    if (!o.up) return false;
    if (o.role === "master") return r.role !== "MASTER";
    return r.role !== "REPLICA" || !r.master || address({ ip: r.master.host.ip, port: r.master.port }) !== `${o.masterHost}:${o.masterPort}`;
  });
  const changes: RoleChange[] = [];
  for (const serviceId of new Set(disagree.map((r) => r.serviceId))) changes.push(...(await followService(db, serviceId, seen)));
  return changes;
}

async function followService(db: Db, serviceId: number, seen: Map<number, Observed>): Promise<RoleChange[]> {
  return db.$transaction(async (tx) => {
    // Several workers may see the same failover on one tick: the service row serializes them, and
    // each plans again from what the one before it wrote.
    const [service] = await tx.$queryRaw<{ id: number; name: string; entryHost: string | null; entryPort: number | null }[]>`
      SELECT "id", "name", "entryHost", "entryPort" FROM "Service" WHERE "id" = ${serviceId} FOR UPDATE`;
    if (!service) return [];
    const instances = await tx.instance.findMany({
      where: { serviceId, software: "REDIS", role: { in: ["MASTER", "REPLICA"] } },
      select: { id: true, role: true, masterId: true, port: true, shardIndex: true, host: { select: { ip: true } } },
      orderBy: { id: "asc" },
    });
    const rows: CatalogueRow[] = instances.map((i) => ({ id: i.id, role: i.role as CatalogueRow["role"], masterId: i.masterId, ip: i.host.ip, port: i.port }));
    const observed = await withOthersObservations(tx, rows, seen);
    const changes = planRoleChanges(rows, observed);
    if (changes.length === 0) return [];

    for (const c of changes) await tx.instance.update({ where: { id: c.id }, data: { role: c.role, masterId: c.masterId } });
    // A Sentinel service's entry is its master's address: it moves with the master.
    const byId = new Map(rows.map((r) => [r.id, r]));
    const demoted = changes.find((c) => c.why === "demoted" && service.entryHost === byId.get(c.id)!.ip && service.entryPort === byId.get(c.id)!.port);
    const promoted = demoted ? byId.get(demoted.masterId!)! : null;
    if (promoted) await tx.service.update({ where: { id: serviceId }, data: { entryHost: promoted.ip, entryPort: promoted.port } });

    const lines = changes.map((c) => describe(c, byId, observed));
    if (promoted) lines.push(text("auditLog.healing.role.entryMoves", { address: address(promoted) }));
    if (await ownFailoverExplains(tx, serviceId)) return changes;
    await recordObserved(tx, service, changes, lines);
    return changes;
  });
}

/** This worker's answers, completed by the other workers' latest samples of the service's other instances. */
async function withOthersObservations(tx: DbTx, rows: CatalogueRow[], seen: Map<number, Observed>): Promise<Map<number, Observed>> {
  const observed = new Map<number, Observed>();
  for (const r of rows) if (seen.has(r.id)) observed.set(r.id, seen.get(r.id)!);
  const missing = rows.filter((r) => !observed.has(r.id)).map((r) => r.id);
  if (missing.length === 0) return observed;
  const since = new Date(Date.now() - OBSERVATION_MAX_AGE_MS);
  const latest = await tx.$queryRaw<{ instanceId: number; up: boolean; extra: unknown }[]>`
    SELECT DISTINCT ON ("instanceId") "instanceId", "up", "extra" FROM "MetricSample"
    WHERE "instanceId" = ANY(${missing}::int[]) AND "at" >= ${since}
    ORDER BY "instanceId", "at" DESC`;
  for (const s of latest) {
    const o = observedOf(s.up, s.extra);
    if (o) observed.set(s.instanceId, o);
  }
  return observed;
}

/** Hedwig's own failover of the service, running or just ended, updates the catalogue itself. */
async function ownFailoverExplains(tx: DbTx, serviceId: number): Promise<boolean> {
  const recent = new Date(Date.now() - OWN_FAILOVER_GRACE_MS);
  const own = await tx.job.findFirst({
    where: { serviceId, kind: "instance.failover", automatic: false, OR: [{ status: { in: ["QUEUED", "RUNNING"] } }, { finishedAt: { gte: recent } }] },
    select: { id: true },
  });
  return own !== null;
}

function describe(c: RoleChange, byId: Map<number, CatalogueRow>, observed: Map<number, Observed>): Text {
  const self = address(byId.get(c.id)!);
  const master = c.masterId === null ? null : address(byId.get(c.masterId)!);
  const o = observed.get(c.id);
  switch (c.why) {
    case "promoted":
      return text("auditLog.healing.role.promoted", { self });
    case "demoted":
      return text("auditLog.healing.role.demoted", { self, master: master!, up: o?.up ? "yes" : "no" });
    case "follows":
      return text(o?.up ? "auditLog.healing.role.follows" : "auditLog.healing.role.followsDown", { self, master: master! });
  }
}

/**
 * A failover (or a replica repointed) that Hedwig did not start: an automatic job, already done,
 * whose log says what the collector observed, so the service page and the audit log show it.
 */
async function recordObserved(tx: DbTx, service: { id: number; name: string }, changes: RoleChange[], lines: Text[]) {
  const failover = changes.some((c) => c.why === "promoted");
  const now = new Date();
  const promoted = changes.find((c) => c.why === "promoted");
  const job = await tx.job.create({
    data: {
      kind: failover ? "instance.failover" : "instance.roles",
      status: "SUCCEEDED",
      serviceId: service.id,
      automatic: true,
      input: { instanceId: (promoted ?? changes[0]!).id, observed: true },
      startedAt: now,
      finishedAt: now,
      steps: { create: [{ index: 0, name: english(recordRoles), text: recordRoles, status: "DONE", startedAt: now, finishedAt: now }] },
    },
  });
  const first = text(failover ? "jobs.log.roles.failoverObserved" : "jobs.log.roles.replicationChanged", { service: service.name });
  await tx.jobLog.createMany({
    data: [
      {
        jobId: job.id,
        stepIndex: 0,
        level: "info",
        message: english(first),
        text: first,
      },
      ...lines.map((line) => ({ jobId: job.id, stepIndex: 0, level: "info", message: english(line), text: line })),
    ],
  });
  await recordAudit(tx, null, {
    action: failover ? "instance.failover.observed" : "instance.roles.observed",
    entityType: "Service",
    entityId: service.id,
    text: text("auditLog.healing.roles", { service: service.name, line: lines[0]!, job: job.id.slice(0, 8) }),
    after: { jobId: job.id, changes },
  });
}
