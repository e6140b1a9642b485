import type { Db } from "../../db/client";
import { backupReasons } from "../backups/schedule";
import { MONITORED_STATES } from "../monitoring/targets";
import { addEvent, closeIncident, linkServices, openHostIncident, openServiceIncident, type ServiceRef } from "./incident-store";
import { incidentStep, newReasons } from "./incidents";
import {
  instanceVerdict,
  nextSince,
  serviceVerdict,
  type CanaryFacts,
  type InstanceFacts,
  type InstanceLevel,
  type Level,
  type Member,
  type Observed,
  type Reason,
  type Verdict,
} from "./rules";
import { loadThresholds } from "./settings-store";
import { effectiveThresholds, readOverrides } from "./thresholds";

const POLLED = new Set(["REDIS", "MEMCACHED", "TWEMPROXY", "REDIS_SENTINEL"]);
const monitored = (state: string) => MONITORED_STATES.has(state as never);

type LatestRow = Observed & { instanceId: number; at: Date };

/** The newest sample of each instance within the window. */
async function latestSamples(db: Db, ids: number[], since: Date): Promise<Map<number, LatestRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db.$queryRawUnsafe<LatestRow[]>(
    `SELECT DISTINCT ON ("instanceId") "instanceId", "at", "up", "usedMemoryMb", "maxmemoryMb", "replLinkUp", "replLagSec", "rejectedPerSec", "evictionsPerSec",
            "hitsPerSec", "missesPerSec", "latencyP99Us", "proxyEjected", "proxyTimeouts", "extra"
     FROM "MetricSample" WHERE "instanceId" = ANY($1::int[]) AND "at" > $2::timestamptz ORDER BY "instanceId", "at" DESC`,
    ids,
    since.toISOString(),
  );
  return new Map(rows.map((r) => [r.instanceId, r]));
}

/** Why a service has no verdict from its instances. */
function unmonitoredReason(instances: { state: string }[]): Reason {
  if (instances.length === 0) return { code: "no_instances", level: "UNKNOWN", params: {} };
  return { code: "not_monitored", level: "UNKNOWN", params: { n: instances.length } };
}

export interface HealthRun {
  services: number;
  instances: number;
  opened: number[];
  closed: number[];
  levels: Record<Level, number>;
}

type InstanceRow = {
  instanceId: number;
  serviceId: number;
  level: InstanceLevel;
  reasons: Reason[];
  since: Date;
  lastUpAt: Date | null;
  downSince: Date | null;
};
type ServiceRow = { serviceId: number; productLineId: number; level: Level; reasons: Reason[]; since: Date; incidentId: number | null };

/**
 * Turns the latest samples, canaries, host probes and Hedwig's own running jobs into InstanceHealth
 * and ServiceHealth, and opens, updates and closes incidents (a service's own, or one per dead
 * host). Idempotent: running it twice on the same inputs changes nothing the second time.
 */
export async function evaluateHealth(db: Db, now: Date, intervalSec: number): Promise<HealthRun> {
  const base = await loadThresholds(db);
  const services = await db.service.findMany({
    where: { status: { not: "DECOMMISSIONED" } },
    select: {
      id: true,
      name: true,
      kind: true,
      productLineId: true,
      productLine: { select: { importance: true } },
      healthOverrides: true,
      instances: {
        orderBy: { id: "asc" },
        select: {
          id: true,
          port: true,
          role: true,
          shardIndex: true,
          software: true,
          state: true,
          masterId: true,
          hostId: true,
          maintenanceUntil: true,
          maintenanceNote: true,
          host: { select: { ip: true } },
        },
      },
    },
  });
  const addr = new Map<number, string>();
  for (const s of services) for (const i of s.instances) addr.set(i.id, `${i.host.ip}:${i.port}`);
  const polled = services.flatMap((s) => s.instances.filter((i) => monitored(i.state) && POLLED.has(i.software)));
  const ids = polled.map((i) => i.id);
  const fresh = new Date(now.getTime() - 3 * intervalSec * 1000 - 5000);
  // a sample older than three intervals is stale: the instance is no longer being polled
  const [latest, prevInstance, prevService, openIncidents, probes, canaries, running, backups] = await Promise.all([
    latestSamples(db, ids, fresh),
    db.instanceHealth.findMany({ select: { instanceId: true, level: true, since: true, lastUpAt: true, downSince: true } }),
    db.serviceHealth.findMany({ select: { serviceId: true, level: true, since: true, incidentId: true } }),
    db.incident.findMany({ where: { closedAt: null }, select: { id: true, hostId: true, reasons: true } }),
    db.hostProbe.findMany({ where: { hostId: { in: [...new Set(polled.map((i) => i.hostId))] } }, select: { hostId: true, reachable: true, since: true } }),
    db.serviceCanary.findMany({ where: { at: { gt: fresh } } }),
    db.job.findMany({
      where: { automatic: true, status: { in: ["QUEUED", "RUNNING"] }, serviceId: { not: null } },
      select: { serviceId: true, kind: true, createdAt: true, startedAt: true },
    }),
    backupReasons(db, now),
  ]);
  const prevI = new Map(prevInstance.map((r) => [r.instanceId, r]));
  const prevS = new Map(prevService.map((r) => [r.serviceId, r]));
  const open = new Map(openIncidents.map((r) => [r.id, r]));
  const deadHosts = new Map(probes.filter((p) => !p.reachable).map((p) => [p.hostId, p]));
  const canaryOf = new Map(canaries.map((c) => [c.serviceId, c]));

  const instanceRows: InstanceRow[] = [];
  const serviceRows: ServiceRow[] = [];
  const incidentReasons: { id: number; reasons: Reason[] }[] = [];
  const hostJoins = new Map<number, ServiceRef[]>();
  const run: HealthRun = { services: services.length, instances: ids.length, opened: [], closed: [], levels: { GREEN: 0, AMBER: 0, RED: 0, UNKNOWN: 0 } };

  for (const s of services) {
    const software = s.kind === "MEMCACHED" || s.kind === "MEMCACHED_TWEMPROXY" ? "MEMCACHED" : "REDIS";
    const t = effectiveThresholds(base, readOverrides(s.healthOverrides), software);
    const watched = s.instances.filter((i) => monitored(i.state) && POLLED.has(i.software));
    const proxiesUp = watched.filter((i) => i.role === "PROXY" && latest.get(i.id)?.up).length;
    const members: Member[] = [];
    for (const i of watched) {
      const sample = latest.get(i.id) ?? null;
      const dead = deadHosts.get(i.hostId);
      const masterSample = i.masterId ? latest.get(i.masterId) : undefined;
      const facts: InstanceFacts = {
        addr: addr.get(i.id)!,
        software: i.software as InstanceFacts["software"],
        role: i.role,
        shard: i.shardIndex,
        masterAddr: i.masterId ? addr.get(i.masterId) : undefined,
        masterOffset: typeof masterSample?.extra?.replOffset === "number" ? masterSample.extra.replOffset : null,
        maintenance: i.maintenanceUntil && i.maintenanceUntil > now ? { until: i.maintenanceUntil, note: i.maintenanceNote } : null,
        hostDown: dead ? { hostId: i.hostId, ip: i.host.ip, since: dead.since } : null,
        otherProxiesUp: proxiesUp - (sample?.up && i.role === "PROXY" ? 1 : 0),
      };
      const prev = prevI.get(i.id) ?? null;
      // the first failed poll after an answer starts the count; later failures keep it
      const downSince = sample && !sample.up ? (prev?.downSince ?? sample.at) : null;
      const v = sample || facts.maintenance ? instanceVerdict(facts, sample, t, now, downSince) : staleVerdict(facts);
      members.push({ facts, verdict: v, up: sample ? sample.up : null });
      instanceRows.push({
        instanceId: i.id,
        serviceId: s.id,
        level: v.level,
        reasons: v.reasons,
        since: nextSince(prev, v.level, now),
        lastUpAt: sample?.up ? sample.at : (prev?.lastUpAt ?? null),
        downSince,
      });
    }
    const c = canaryOf.get(s.id);
    const canary: CanaryFacts | null = c
      ? { ok: c.ok, entry: c.entry, via: c.via, keys: c.keys, failed: c.failed, error: c.error, failingSince: c.failingSince }
      : null;
    const automatic = running.filter((j) => j.serviceId === s.id).map((j) => ({ kind: j.kind, since: j.startedAt ?? j.createdAt }));
    const sv: Verdict = members.length
      ? serviceVerdict(
          {
            kind: s.kind,
            members,
            canary,
            automatic,
            sentinels: c?.sentinelsTotal ? { up: c.sentinelsUp ?? 0, total: c.sentinelsTotal } : null,
            backup: backups.get(s.id),
          },
          now,
        )
      : { level: "UNKNOWN", reasons: [unmonitoredReason(s.instances)] };
    const level = sv.level as Level;
    run.levels[level]++;

    const prevIncident = prevS.get(s.id)?.incidentId;
    const current = prevIncident && open.has(prevIncident) ? { id: prevIncident, hostId: open.get(prevIncident)!.hostId } : null;
    const step = incidentStep(current, sv);
    const ref: ServiceRef = { id: s.id, name: s.name, productLineId: s.productLineId, importance: s.productLine.importance };
    let incidentId: number | null = null;
    if (step.kind === "open") {
      incidentId = await openServiceIncident(db, ref, step.reasons, now);
      run.opened.push(incidentId);
    } else if (step.kind === "keep") {
      incidentId = step.id;
      const inc = open.get(step.id)!;
      if (inc.hostId === null) {
        for (const r of newReasons((inc.reasons ?? []) as Reason[], sv.reasons))
          await addEvent(db, step.id, now, "reason", { reason: { code: r.code, params: r.params } });
        incidentReasons.push({ id: step.id, reasons: sv.reasons });
      }
    } else if (step.kind === "close") {
      await closeIncident(db, step.id, now); // its last reasons stay as its history
      run.closed.push(step.id);
    } else if (step.kind === "joinHost") {
      hostJoins.set(step.hostId, [...(hostJoins.get(step.hostId) ?? []), ref]);
    }
    serviceRows.push({
      serviceId: s.id,
      productLineId: s.productLineId,
      level,
      reasons: sv.reasons,
      since: nextSince(prevS.get(s.id) ?? null, level, now),
      incidentId,
    });
  }

  // one incident per dead host, naming every service it took down
  const hostIncident = new Map(openIncidents.filter((i) => i.hostId !== null).map((i) => [i.hostId!, i.id]));
  for (const [hostId, refs] of hostJoins) {
    let id = hostIncident.get(hostId);
    if (id)
      await linkServices(
        db,
        id,
        refs.map((r) => r.id),
      );
    else {
      const probe = deadHosts.get(hostId)!;
      const ip = services.flatMap((s) => s.instances).find((i) => i.hostId === hostId)!.host.ip;
      id = await openHostIncident(db, { id: hostId, ip, since: probe.since }, refs, now);
      hostIncident.set(hostId, id);
      run.opened.push(id);
    }
    for (const r of serviceRows) if (refs.some((x) => x.id === r.serviceId)) r.incidentId = id;
  }
  // a host incident closes once the host answers and none of its services is still on it
  for (const [hostId, id] of hostIncident) {
    if (deadHosts.has(hostId) || serviceRows.some((r) => r.incidentId === id)) continue;
    await closeIncident(db, id, now);
    run.closed.push(id);
  }
  await writeHealth(
    db,
    now,
    instanceRows,
    serviceRows,
    ids,
    services.map((s) => s.id),
    incidentReasons,
  );
  return run;
}

/** Polled, but no sample within three intervals: its collector is missing. */
function staleVerdict(i: InstanceFacts): Verdict {
  return { level: "UNKNOWN", reasons: [{ code: "stale", level: "UNKNOWN", params: { addr: i.addr, role: i.role, shard: i.shard } }] };
}

async function writeHealth(
  db: Db,
  now: Date,
  instances: InstanceRow[],
  services: ServiceRow[],
  polledIds: number[],
  serviceIds: number[],
  incidents: { id: number; reasons: Reason[] }[],
) {
  await db.$transaction(async (tx) => {
    // open incidents follow the latest reasons, all in one statement
    if (incidents.length) {
      await tx.$executeRawUnsafe(
        `UPDATE "Incident" i SET "reasons" = x."reasons" FROM jsonb_to_recordset($1::jsonb) AS x("id" int, "reasons" jsonb) WHERE i."id" = x."id" AND i."closedAt" IS NULL`,
        JSON.stringify(incidents),
      );
    }
    await tx.$executeRawUnsafe(`DELETE FROM "ServiceHealth" WHERE NOT ("serviceId" = ANY($1::int[]))`, serviceIds);
    await tx.$executeRawUnsafe(`DELETE FROM "InstanceHealth" WHERE NOT ("instanceId" = ANY($1::int[]))`, polledIds);
    await tx.$executeRawUnsafe(
      `INSERT INTO "InstanceHealth" ("instanceId", "serviceId", "level", "reasons", "since", "checkedAt", "lastUpAt", "downSince")
       SELECT x."instanceId", x."serviceId", x."level"::"HealthLevel", x."reasons", x."since" AT TIME ZONE 'UTC', $2::timestamptz AT TIME ZONE 'UTC', x."lastUpAt" AT TIME ZONE 'UTC', x."downSince" AT TIME ZONE 'UTC'
       FROM jsonb_to_recordset($1::jsonb) AS x("instanceId" int, "serviceId" int, "level" text, "reasons" jsonb, "since" timestamptz, "lastUpAt" timestamptz, "downSince" timestamptz)
       ON CONFLICT ("instanceId") DO UPDATE SET "serviceId" = excluded."serviceId", "level" = excluded."level", "reasons" = excluded."reasons",
         "since" = excluded."since", "checkedAt" = excluded."checkedAt", "lastUpAt" = excluded."lastUpAt", "downSince" = excluded."downSince"`,
      JSON.stringify(instances),
      now.toISOString(),
    );
    await tx.$executeRawUnsafe(
      `INSERT INTO "ServiceHealth" ("serviceId", "productLineId", "level", "reasons", "since", "checkedAt", "incidentId")
       SELECT x."serviceId", x."productLineId", x."level"::"HealthLevel", x."reasons", x."since" AT TIME ZONE 'UTC', $2::timestamptz AT TIME ZONE 'UTC', x."incidentId"
       FROM jsonb_to_recordset($1::jsonb) AS x("serviceId" int, "productLineId" int, "level" text, "reasons" jsonb, "since" timestamptz, "incidentId" int)
       ON CONFLICT ("serviceId") DO UPDATE SET "productLineId" = excluded."productLineId", "level" = excluded."level", "reasons" = excluded."reasons",
         "since" = excluded."since", "checkedAt" = excluded."checkedAt", "incidentId" = excluded."incidentId"`,
      JSON.stringify(services),
      now.toISOString(),
    );
  });
}
