import type { SampleRow } from "./sample";
import { text } from "../../../lib/text";
import { precondition } from "../errors";

/**
 * A remote time-series store for raw samples, when HEDWIG_METRICS_URL names one (VictoriaMetrics
 * single node, e.g. http://127.0.0.1:8428; a cluster's vminsert/vmselect path works the same way
 * for these two endpoints). The collector writes each chunk's samples there as well as to
 * PostgreSQL (the rollups, health rules and promotions read PostgreSQL), and the charts' raw ranges
 * read back through PromQL. Unset: PostgreSQL alone, the embedded default.
 */
export function remoteMetricsUrl(env: Record<string, string | undefined> = process.env): string | null {
  const url = env.HEDWIG_METRICS_URL?.trim();
  return url ? url.replace(/\/+$/, "") : null;
}

/** The numeric figures a chart draws, as metric names (labels: instance_id, service_id). */
export const REMOTE_FIELDS = {
  opsPerSec: "hedwig_ops_per_sec",
  readsPerSec: "hedwig_reads_per_sec",
  writesPerSec: "hedwig_writes_per_sec",
  hitsPerSec: "hedwig_hits_per_sec",
  missesPerSec: "hedwig_misses_per_sec",
  evictionsPerSec: "hedwig_evictions_per_sec",
  usedMemoryMb: "hedwig_used_memory_mb",
  maxmemoryMb: "hedwig_maxmemory_mb",
  clients: "hedwig_clients",
  latencyP50Us: "hedwig_latency_p50_us",
  latencyP99Us: "hedwig_latency_p99_us",
  latencyP999Us: "hedwig_latency_p999_us",
} as const satisfies Partial<Record<keyof SampleRow, string>>;
export type RemoteField = keyof typeof REMOTE_FIELDS;
const FIELD_OF = new Map<string, RemoteField>(Object.entries(REMOTE_FIELDS).map(([f, m]) => [m, f as RemoteField]));

/**
 * Prometheus text exposition with timestamps (ms), one line per figure a sample has: a down
 * sample writes hedwig_up 0 only, as the raw charts count up samples alone.
 */
export function samplesAsPrometheusText(rows: SampleRow[]): string {
  const out: string[] = [];
  for (const r of rows) {
    const labels = `{instance_id="${r.instanceId}",service_id="${r.serviceId}"}`;
    const ts = r.at.getTime();
    out.push(`hedwig_up${labels} ${r.up ? 1 : 0} ${ts}`);
    if (!r.up) continue;
    for (const [field, metric] of Object.entries(REMOTE_FIELDS)) {
      const v = r[field as RemoteField];
      if (v !== null && Number.isFinite(v)) out.push(`${metric}${labels} ${v} ${ts}`);
    }
  }
  return out.length ? `${out.join("\n")}\n` : "";
}

/** One POST per batch to /api/v1/import/prometheus; a refusal is an error with the store's words. */
export async function writeRemoteSamples(url: string, rows: SampleRow[], timeoutMs = 5000): Promise<void> {
  const body = samplesAsPrometheusText(rows);
  if (!body) return;
  const res = await fetch(`${url}/api/v1/import/prometheus`, { method: "POST", body, signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw precondition(text("jobErrors.metricsStore.refused", { status: String(res.status), why: (await res.text()).slice(0, 200) }));
}

/** Per instance, per step (ms), the figures the store holds. */
export type RemoteRange = Map<number, Map<number, Partial<Record<RemoteField, number>>>>;

/**
 * A service's raw figures over [from, to) through PromQL's query_range: one query for every
 * figure (no function, so the metric names stay in the answer). A bare selector answers at t the
 * latest sample in (t - step, t], so each step [b, b + step) is asked for at b + step - 1 ms and
 * filed under b, as the PostgreSQL path buckets samples (a tick stamped on b belongs to b's step).
 */
export async function readRemoteRange(url: string, serviceId: number, from: Date, to: Date, stepSeconds: number, timeoutMs = 10_000): Promise<RemoteRange> {
  const names = Object.values(REMOTE_FIELDS).join("|");
  const params = new URLSearchParams({
    query: `{__name__=~"${names}",service_id="${serviceId}"}`,
    start: String((from.getTime() + stepSeconds * 1000 - 1) / 1000),
    end: String((to.getTime() - 1) / 1000),
    // no alignment of start to the step and no result cache: a chart's range is read as asked
    nocache: "1",
    step: `${stepSeconds}s`,
  });
  const res = await fetch(`${url}/api/v1/query_range?${params}`, { signal: AbortSignal.timeout(timeoutMs) });
  const body = (await res.json()) as {
    status: string;
    error?: string;
    data?: { result: { metric: Record<string, string>; values: [number, string][] }[] };
  };
  if (!res.ok || body.status !== "success")
    throw precondition(text("jobErrors.metricsStore.refused", { status: String(res.status), why: body.error ?? body.status }));
  const out: RemoteRange = new Map();
  for (const s of body.data?.result ?? []) {
    const field = FIELD_OF.get(s.metric.__name__ ?? "");
    const instanceId = Number(s.metric.instance_id);
    if (!field || !Number.isInteger(instanceId)) continue;
    let steps = out.get(instanceId);
    if (!steps) out.set(instanceId, (steps = new Map()));
    for (const [t, v] of s.values) {
      const ms = Math.round(t * 1000) + 1 - stepSeconds * 1000;
      const point = steps.get(ms) ?? {};
      point[field] = Number(v);
      steps.set(ms, point);
    }
  }
  return out;
}
