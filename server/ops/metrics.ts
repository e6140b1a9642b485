import client from "prom-client";
import { bearerOf } from "../api/bearer";
import type { DbTx } from "../db/client";
import { authenticateToken } from "../domain/tokens/tokens";
import { loadMonitoringSettings } from "../domain/monitoring/settings-store";
import { can } from "../../lib/roles";
import { QUEUE } from "../jobs/queue";

/**
 * Prometheus exposition (prom-client). Two parts:
 * - the process's own figures (this registry: Node's defaults, job durations, collector ticks),
 *   which every process (web or worker) answers for itself;
 * - the fleet's latest figures with the catalogue's labels (product line, importance, service,
 *   role, IDC, host), which only the web processes answer (any one of them: they read PostgreSQL),
 *   so that a Prometheus scraping every process does not get them several times.
 */
type ProcessMetrics = {
  registry: client.Registry;
  jobDuration: client.Histogram<"kind" | "status">;
  collectorTick: client.Histogram;
  collectorPolled: client.Gauge;
};

function createProcessMetrics(): ProcessMetrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: "hedwig_" });
  return {
    registry,
    jobDuration: new client.Histogram({
      name: "hedwig_job_duration_seconds",
      help: "Jobs run by this worker process, by kind and outcome",
      labelNames: ["kind", "status"],
      buckets: [0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800],
      registers: [registry],
    }),
    collectorTick: new client.Histogram({
      name: "hedwig_collector_tick_seconds",
      help: "One collector tick of this worker process: poll its share, store, and the leader's maintenance",
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20],
      registers: [registry],
    }),
    collectorPolled: new client.Gauge({
      name: "hedwig_collector_instances_polled",
      help: "Instances this worker process polled in its last tick",
      registers: [registry],
    }),
  };
}

// one per process, also when Next.js loads this module in several bundles
const globalForMetrics = globalThis as unknown as { hedwigMetrics?: ProcessMetrics };
export const processMetrics: ProcessMetrics = (globalForMetrics.hedwigMetrics ??= createProcessMetrics());

/** The pg-boss queue's depth by state, read at each scrape (every process sees the same queue). */
async function queueDepth(db: DbTx, registry: client.Registry) {
  const gauge = new client.Gauge({ name: "hedwig_queue_jobs", help: "Jobs in Hedwig's queue by pg-boss state", labelNames: ["state"], registers: [registry] });
  const rows = await db.$queryRaw<{ state: string; n: bigint }[]>`
    SELECT "state"::text AS state, count(*) AS n FROM "pgboss"."job" WHERE "name" = ${QUEUE} AND "state" IN ('created', 'retry', 'active') GROUP BY 1`.catch(
    () => [], // pg-boss not installed yet: an empty queue
  );
  for (const state of ["created", "retry", "active"]) gauge.set({ state }, Number(rows.find((r) => r.state === state)?.n ?? 0));
}

type InstanceRow = {
  serviceId: number;
  up: boolean;
  opsPerSec: number | null;
  readsPerSec: number | null;
  writesPerSec: number | null;
  hitsPerSec: number | null;
  missesPerSec: number | null;
  evictionsPerSec: number | null;
  usedMemoryMb: number | null;
  maxmemoryMb: number | null;
  clients: number | null;
  keys: bigint | null;
  latencyP99Us: number | null;
  replLagSec: number | null;
  role: string;
  software: string;
  port: number;
  ip: string;
  hostname: string;
  idc: string;
  service: string;
  kind: string;
  product_line: string;
  importance: number;
  proxied: boolean;
};

const INSTANCE_LABELS = ["product_line", "importance", "service", "role", "idc", "host", "address", "software"] as const;
const SERVICE_LABELS = ["product_line", "importance", "service", "kind"] as const;
const LEVELS = ["GREEN", "AMBER", "RED", "UNKNOWN", "MAINTENANCE"] as const;
const MB = 1024 * 1024;

/**
 * Every instance's latest poll (within three intervals: an instance no collector reaches any more
 * disappears rather than showing stale figures) and every service's figures summed from them the
 * way the rollups sum them: QPS and memory over the data instances (masters, caches), clients at
 * the entry tier (the proxies when there are any).
 */
export async function fleetMetrics(db: DbTx, now = new Date()): Promise<string> {
  const { intervalSec } = await loadMonitoringSettings(db);
  const since = new Date(now.getTime() - 3 * intervalSec * 1000);
  const rows = await db.$queryRaw<InstanceRow[]>`
    WITH latest AS (
      SELECT DISTINCT ON ("instanceId") * FROM "MetricSample"
      WHERE "at" > ${since} AND "at" <= ${now} ORDER BY "instanceId", "at" DESC),
    proxied AS (SELECT DISTINCT "serviceId" FROM "Instance" WHERE "role" = 'PROXY')
    SELECT l."serviceId", l."up", l."opsPerSec", l."readsPerSec", l."writesPerSec", l."hitsPerSec", l."missesPerSec", l."evictionsPerSec",
           l."usedMemoryMb", l."maxmemoryMb", l."clients", l."keys", l."latencyP99Us", l."replLagSec",
           i."role"::text AS role, i."software"::text AS software, i."port", h."ip", h."hostname", d."code" AS idc,
           s."name" AS service, s."kind"::text AS kind, pl."code" AS product_line, pl."importance",
           (p."serviceId" IS NOT NULL) AS proxied
    FROM latest l
    JOIN "Instance" i ON i."id" = l."instanceId"
    JOIN "Host" h ON h."id" = i."hostId"
    JOIN "Rack" r ON r."id" = h."rackId"
    JOIN "Idc" d ON d."id" = r."idcId"
    JOIN "Service" s ON s."id" = l."serviceId"
    JOIN "ProductLine" pl ON pl."id" = s."productLineId"
    LEFT JOIN proxied p ON p."serviceId" = l."serviceId"`;

  const registry = new client.Registry();
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new client.Gauge<L>({ name, help, labelNames, registers: [registry] });
  const inst = {
    up: gauge("hedwig_instance_up", "1 when the instance answered its latest poll", INSTANCE_LABELS),
    ops: gauge("hedwig_instance_ops_per_second", "Operations per second", INSTANCE_LABELS),
    reads: gauge("hedwig_instance_reads_per_second", "Read commands per second", INSTANCE_LABELS),
    writes: gauge("hedwig_instance_writes_per_second", "Write commands per second", INSTANCE_LABELS),
    hits: gauge("hedwig_instance_hits_per_second", "Key hits per second", INSTANCE_LABELS),
    misses: gauge("hedwig_instance_misses_per_second", "Key misses per second", INSTANCE_LABELS),
    evictions: gauge("hedwig_instance_evictions_per_second", "Evicted keys per second", INSTANCE_LABELS),
    mem: gauge("hedwig_instance_used_memory_bytes", "Memory used", INSTANCE_LABELS),
    maxmem: gauge("hedwig_instance_maxmemory_bytes", "Memory limit (maxmemory)", INSTANCE_LABELS),
    clients: gauge("hedwig_instance_clients", "Connected clients", INSTANCE_LABELS),
    keys: gauge("hedwig_instance_keys", "Keys held", INSTANCE_LABELS),
    p99: gauge("hedwig_instance_latency_p99_seconds", "99th percentile command latency over the last interval", INSTANCE_LABELS),
    lag: gauge("hedwig_instance_replication_lag_seconds", "A replica's lag behind its master", INSTANCE_LABELS),
  };
  const svc = {
    ops: gauge("hedwig_service_ops_per_second", "Operations per second over the data instances", SERVICE_LABELS),
    reads: gauge("hedwig_service_reads_per_second", "Reads per second over the data instances", SERVICE_LABELS),
    writes: gauge("hedwig_service_writes_per_second", "Writes per second over the data instances", SERVICE_LABELS),
    mem: gauge("hedwig_service_used_memory_bytes", "Memory used by the data instances", SERVICE_LABELS),
    maxmem: gauge("hedwig_service_maxmemory_bytes", "Memory limit of the data instances", SERVICE_LABELS),
    clients: gauge("hedwig_service_clients", "Clients at the entry tier (the proxies when there are any)", SERVICE_LABELS),
    up: gauge("hedwig_service_instances_up", "Instances that answered their latest poll", SERVICE_LABELS),
    health: gauge("hedwig_service_health", "The health rules' verdict: 1 for the current level", [...SERVICE_LABELS, "level"]),
  };

  type Sums = {
    labels: Record<(typeof SERVICE_LABELS)[number], string>;
    ops: number;
    reads: number;
    writes: number;
    mem: number;
    maxmem: number;
    clients: number;
    up: number;
  };
  const services = new Map<number, Sums>();
  for (const r of rows) {
    const labels = {
      product_line: r.product_line,
      importance: String(r.importance),
      service: r.service,
      role: r.role,
      idc: r.idc,
      host: r.hostname,
      address: `${r.ip}:${r.port}`,
      software: r.software,
    };
    const set = (g: client.Gauge<(typeof INSTANCE_LABELS)[number]>, v: number | bigint | null, scale = 1) => {
      if (v !== null) g.set(labels, Number(v) * scale);
    };
    inst.up.set(labels, r.up ? 1 : 0);
    set(inst.ops, r.opsPerSec);
    set(inst.reads, r.readsPerSec);
    set(inst.writes, r.writesPerSec);
    set(inst.hits, r.hitsPerSec);
    set(inst.misses, r.missesPerSec);
    set(inst.evictions, r.evictionsPerSec);
    set(inst.mem, r.usedMemoryMb, MB);
    set(inst.maxmem, r.maxmemoryMb, MB);
    set(inst.clients, r.clients);
    set(inst.keys, r.keys);
    set(inst.p99, r.latencyP99Us, 1e-6);
    set(inst.lag, r.replLagSec);

    let s = services.get(r.serviceId);
    if (!s) {
      s = {
        labels: { product_line: r.product_line, importance: String(r.importance), service: r.service, kind: r.kind },
        ops: 0,
        reads: 0,
        writes: 0,
        mem: 0,
        maxmem: 0,
        clients: 0,
        up: 0,
      };
      services.set(r.serviceId, s);
    }
    const data = r.role === "MASTER" || r.role === "CACHE";
    const entry = r.proxied ? r.role === "PROXY" : data;
    if (data) {
      s.ops += r.opsPerSec ?? 0;
      s.reads += r.readsPerSec ?? 0;
      s.writes += r.writesPerSec ?? 0;
      s.mem += (r.usedMemoryMb ?? 0) * MB;
      s.maxmem += (r.maxmemoryMb ?? 0) * MB;
    }
    if (entry) s.clients += r.clients ?? 0;
    if (r.up) s.up++;
  }
  for (const s of services.values()) {
    svc.ops.set(s.labels, s.ops);
    svc.reads.set(s.labels, s.reads);
    svc.writes.set(s.labels, s.writes);
    svc.mem.set(s.labels, s.mem);
    svc.maxmem.set(s.labels, s.maxmem);
    svc.clients.set(s.labels, s.clients);
    svc.up.set(s.labels, s.up);
  }

  const health = await db.$queryRaw<{ level: string; service: string; kind: string; product_line: string; importance: number }[]>`
    SELECT h."level"::text AS level, s."name" AS service, s."kind"::text AS kind, pl."code" AS product_line, pl."importance"
    FROM "ServiceHealth" h JOIN "Service" s ON s."id" = h."serviceId" JOIN "ProductLine" pl ON pl."id" = s."productLineId"
    WHERE s."status" = 'ONLINE'`;
  for (const h of health) {
    const labels = { product_line: h.product_line, importance: String(h.importance), service: h.service, kind: h.kind };
    for (const level of LEVELS) svc.health.set({ ...labels, level }, h.level === level ? 1 : 0);
  }
  return registry.metrics();
}

export type MetricsAnswer = { status: number; body: string; contentType: string };

const refusal = (status: number, code: string): MetricsAnswer => ({ status, body: JSON.stringify({ code }), contentType: "application/json" });

/**
 * /metrics for a scraper: a bearer API token (Prometheus' `authorization` / `bearer_token_file`)
 * whose role reads the whole fleet (NOC, DBA, ADMIN); 401 without a valid one, 403 for a role scoped
 * to product lines. `fleet`: whether this process also answers the fleet's figures (web processes).
 */
export async function metricsAnswer(db: DbTx, headers: Headers, ip: string | null, opts: { fleet: boolean }): Promise<MetricsAnswer> {
  const bearer = bearerOf(headers);
  if (!bearer) return refusal(401, "UNAUTHORIZED");
  const auth = await authenticateToken(db, bearer, ip);
  if ("refused" in auth) return refusal(401, "UNAUTHORIZED");
  if (!can(auth.actor.role, "readFleet")) return refusal(403, "FORBIDDEN");
  const shared = new client.Registry();
  await queueDepth(db, shared);
  const parts = [await processMetrics.registry.metrics(), await shared.metrics()];
  if (opts.fleet) parts.push(await fleetMetrics(db));
  return { status: 200, body: parts.map((p) => p.trimEnd()).join("\n") + "\n", contentType: client.Registry.PROMETHEUS_CONTENT_TYPE };
}
