import type { Db } from "../../db/client";
import { noticeDbas, openIncidentEffects } from "./alerts";
import { incidentStep } from "./incidents";
import { instanceLabel, instanceVerdict, nextSince, serviceVerdict, type InstanceFacts, type Level, type Observed, type Reason, type Verdict } from "./rules";
import { loadThresholds } from "./settings-store";
import { MONITORED_STATES } from "../monitoring/targets";
import { effectiveThresholds, readOverrides } from "./thresholds";

const POLLED = new Set(["REDIS", "MEMCACHED", "TWEMPROXY"]);
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

/** Why a service has no verdict from its instances, in words. */
function unmonitoredReason(instances: { state: string; software: string }[]): Reason {
  if (instances.length === 0) return { code: "no_instances", level: "UNKNOWN", message: "not monitored: the service has no instances" };
  const byState = new Map<string, number>();
  for (const i of instances) byState.set(i.state, (byState.get(i.state) ?? 0) + 1);
  const parts = [...byState].map(([state, n]) => `${n} ${state === "UNKNOWN" ? "catalogued only" : state.toLowerCase()}`);
  return { code: "not_monitored", level: "UNKNOWN", message: `not monitored: none of its ${instances.length} instances is running under Hedwig (${parts.join(", ")})` };
}

export interface HealthRun {
  services: number;
  instances: number;
  opened: number[];
  closed: number[];
  levels: Record<Level, number>;
}

/**
 * Turns the latest samples into InstanceHealth and ServiceHealth, and opens, updates and closes
 * incidents. Idempotent: running it twice on the same samples changes nothing the second time.
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
      healthOverrides: true,
      instances: { orderBy: { id: "asc" }, select: { id: true, port: true, role: true, shardIndex: true, software: true, state: true, masterId: true, host: { select: { ip: true } } } },
    },
  });
  const addr = new Map<number, string>();
  for (const s of services) for (const i of s.instances) addr.set(i.id, `${i.host.ip}:${i.port}`);
  const polled = services.flatMap((s) => s.instances.filter((i) => monitored(i.state) && POLLED.has(i.software)));
  const ids = polled.map((i) => i.id);
  // a sample older than three intervals is stale: the instance is no longer being polled
  const latest = await latestSamples(db, ids, new Date(now.getTime() - 3 * intervalSec * 1000 - 5000));
  const [prevInstance, prevService, openIncidents] = await Promise.all([
    db.instanceHealth.findMany({ select: { instanceId: true, level: true, since: true, lastUpAt: true, downSince: true } }),
    db.serviceHealth.findMany({ select: { serviceId: true, level: true, since: true } }),
    db.incident.findMany({ where: { closedAt: null }, select: { id: true, serviceId: true, reason: true } }),
  ]);
  const prevI = new Map(prevInstance.map((r) => [r.instanceId, r]));
  const prevS = new Map(prevService.map((r) => [r.serviceId, r]));
  const openBy = new Map(openIncidents.map((r) => [r.serviceId, r]));

  const instanceRows: { instanceId: number; serviceId: number; level: Level; reasons: Reason[]; since: Date; lastUpAt: Date | null; downSince: Date | null }[] = [];
  const incidentReasons: { id: number; reasons: Reason[] }[] = [];
  const serviceRows: { serviceId: number; productLineId: number; level: Level; reasons: Reason[]; since: Date; incidentId: number | null }[] = [];
  const openedNow: { serviceId: number; name: string; reason: string }[] = [];
  const run: HealthRun = { services: services.length, instances: ids.length, opened: [], closed: [], levels: { GREEN: 0, AMBER: 0, RED: 0, UNKNOWN: 0 } };

  for (const s of services) {
    const software = s.kind === "MEMCACHED" || s.kind === "MEMCACHED_TWEMPROXY" ? "MEMCACHED" : "REDIS";
    const t = effectiveThresholds(base, readOverrides(s.healthOverrides), software);
    const verdicts: Verdict[] = [];
    for (const i of s.instances) {
      if (!monitored(i.state) || !POLLED.has(i.software)) continue;
      const facts: InstanceFacts = {
        // a DBA's stop is the likeliest cause of an outage: the reason says so
        label: instanceLabel(i.host.ip, i.port, i.role, i.shardIndex, i.state === "STOPPED" ? "stopped through Hedwig" : undefined),
        software: i.software as InstanceFacts["software"],
        role: i.role,
        masterAddr: i.masterId ? addr.get(i.masterId) : undefined,
      };
      const sample = latest.get(i.id) ?? null;
      const prev = prevI.get(i.id) ?? null;
      // the first failed poll after an answer starts the count; later failures keep it
      const downSince = sample && !sample.up ? (prev?.downSince ?? sample.at) : null;
      const v = sample ? instanceVerdict(facts, sample, t, now, downSince) : staleVerdict(facts, prev?.lastUpAt ?? null, now);
      verdicts.push(v);
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
    const sv: Verdict = verdicts.length ? serviceVerdict(verdicts) : { level: "UNKNOWN", reasons: [unmonitoredReason(s.instances)] };
    run.levels[sv.level]++;
    const step = incidentStep(openBy.get(s.id) ?? null, sv.level, sv.reasons);
    let incidentId: number | null = openBy.get(s.id)?.id ?? null;
    if (step.kind === "open") {
      incidentId = await openIncidentEffects(db, s.id, step.reason, step.reasons, now);
      run.opened.push(incidentId);
      openedNow.push({ serviceId: s.id, name: s.name, reason: step.reason });
    } else if (step.kind === "update") {
      incidentReasons.push({ id: step.id, reasons: step.reasons });
    } else if (step.kind === "close") {
      await db.incident.update({ where: { id: step.id }, data: { closedAt: now } }); // its last reasons stay as its history
      run.closed.push(step.id);
      incidentId = null;
    }
    serviceRows.push({ serviceId: s.id, productLineId: s.productLineId, level: sv.level, reasons: sv.reasons, since: nextSince(prevS.get(s.id) ?? null, sv.level, now), incidentId });
  }
  await writeHealth(db, now, instanceRows, serviceRows, ids, services.map((s) => s.id), incidentReasons);
  await noticeDbas(db, openedNow);
  return run;
}

/** Polled, but no sample within three intervals: its collector is missing. */
function staleVerdict(i: InstanceFacts, lastUpAt: Date | null, now: Date): Verdict {
  const ago = lastUpAt ? ` (last answer ${Math.round((now.getTime() - lastUpAt.getTime()) / 1000)} s ago)` : "";
  return { level: "UNKNOWN", reasons: [{ code: "not_polled", level: "UNKNOWN", message: `${i.label} has not been polled recently${ago}: is a worker running?` }] };
}

async function writeHealth(db: Db, now: Date, instances: unknown[], services: unknown[], polledIds: number[], serviceIds: number[], incidents: { id: number; reasons: Reason[] }[]) {
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
