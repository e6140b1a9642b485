import type { Thresholds } from "./thresholds";

export type Level = "GREEN" | "AMBER" | "RED" | "UNKNOWN";
export type Reason = { code: string; level: Exclude<Level, "GREEN">; message: string };

const RANK: Record<Level, number> = { GREEN: 0, UNKNOWN: 1, AMBER: 2, RED: 3 };
export const worse = (a: Level, b: Level): Level => (RANK[b] > RANK[a] ? b : a);
// Within a level, the likely cause before its effects: a dead master before its replica's broken link.
const CODE_ORDER = ["unreachable", "replication_link_down", "proxy_ejecting", "connections_rejected", "memory", "evictions", "replica_lagging", "latency", "proxy_timeouts", "hit_ratio"];
const codeRank = (c: string) => (CODE_ORDER.includes(c) ? CODE_ORDER.indexOf(c) : CODE_ORDER.length);
export const byLevel = (a: Reason, b: Reason) => RANK[b.level] - RANK[a.level] || codeRank(a.code) - codeRank(b.code);

/** What the rules know of one instance. */
export interface InstanceFacts {
  /** "127.0.1.4:6380 (master of shard 2)" */
  label: string;
  software: "REDIS" | "MEMCACHED" | "TWEMPROXY";
  role: "MASTER" | "REPLICA" | "PROXY" | "CACHE" | "SENTINEL";
  /** replicas: "127.0.1.3:6380" */
  masterAddr?: string;
}

/** The latest sample's figures the rules read (a MetricSample row). */
export interface Observed {
  up: boolean;
  usedMemoryMb: number | null;
  maxmemoryMb: number | null;
  replLinkUp: boolean | null;
  replLagSec: number | null;
  rejectedPerSec: number | null;
  evictionsPerSec: number | null;
  hitsPerSec: number | null;
  missesPerSec: number | null;
  latencyP99Us: number | null;
  proxyEjected: number | null;
  proxyTimeouts: number | null;
  extra: Record<string, unknown> | null;
}

export interface Verdict {
  level: Level;
  reasons: Reason[];
}

const secs = (ms: number) => {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 120 ? `${s} s` : s < 7200 ? `${Math.round(s / 60)} min` : `${Math.round(s / 3600)} h`;
};
const fmt = (n: number, digits = 1) => (Math.round(n * 10 ** digits) / 10 ** digits).toLocaleString("en-US");

/**
 * The rules of one instance over its latest sample. downSince: since when polls fail (for the
 * duration in the words). Thresholds are already the service's effective ones.
 */
export function instanceVerdict(i: InstanceFacts, s: Observed | null, t: Thresholds & { mustNotEvict: boolean }, now: Date, downSince: Date | null): Verdict {
  if (!s) return { level: "UNKNOWN", reasons: [{ code: "not_polled", level: "UNKNOWN", message: `${i.label} not polled yet` }] };
  const reasons: Reason[] = [];
  const add = (level: Reason["level"], code: string, message: string) => reasons.push({ code, level, message });

  if (!s.up) {
    const error = typeof s.extra?.error === "string" ? `: ${s.extra.error}` : "";
    add("RED", "unreachable", `${i.label} unreachable for ${secs(now.getTime() - (downSince ?? now).getTime())}${error}`);
    return finish(reasons);
  }
  if (i.role === "REPLICA" && s.replLinkUp === false) {
    const downFor = typeof s.extra?.masterLinkDownSec === "number" && s.extra.masterLinkDownSec >= 0 ? ` for ${secs(s.extra.masterLinkDownSec * 1000)}` : "";
    add("RED", "replication_link_down", `${i.label}: replication link to its master${i.masterAddr ? ` ${i.masterAddr}` : ""} down${downFor}`);
  } else if (i.role === "REPLICA" && s.replLagSec !== null) {
    if (s.replLagSec >= t.replLagRedSec) add("RED", "replica_lagging", `${i.label} lags its master by ${fmt(s.replLagSec, 0)} s (red from ${t.replLagRedSec} s)`);
    else if (s.replLagSec >= t.replLagAmberSec) add("AMBER", "replica_lagging", `${i.label} lags its master by ${fmt(s.replLagSec, 0)} s (amber from ${t.replLagAmberSec} s)`);
  }
  // Memcached fills its memory by design (it evicts the least used): memory is a Redis rule.
  if (i.software === "REDIS" && s.usedMemoryMb !== null && s.maxmemoryMb) {
    const pct = (100 * s.usedMemoryMb) / s.maxmemoryMb;
    const words = `${i.label} uses ${fmt(pct, 0)}% of its maxmemory (${fmt(s.usedMemoryMb)} of ${fmt(s.maxmemoryMb, 0)} MB)`;
    if (pct >= t.memoryRedPct) add("RED", "memory", `${words}, red from ${t.memoryRedPct}%`);
    else if (pct >= t.memoryAmberPct) add("AMBER", "memory", `${words}, amber from ${t.memoryAmberPct}%`);
  }
  if (s.rejectedPerSec !== null && s.rejectedPerSec > 0) add("RED", "connections_rejected", `${i.label} rejects connections: ${fmt(s.rejectedPerSec, 2)} per second (maxclients reached)`);
  if (t.mustNotEvict && s.evictionsPerSec !== null && s.evictionsPerSec > 0) {
    add("RED", "evictions", `${i.label} evicts keys (${fmt(s.evictionsPerSec, 2)} per second) on a service that must not evict`);
  }
  if (t.hitRatioMinPct > 0 && s.hitsPerSec !== null && s.missesPerSec !== null) {
    const lookups = s.hitsPerSec + s.missesPerSec;
    const ratio = lookups > 0 ? (100 * s.hitsPerSec) / lookups : 100;
    if (lookups >= t.hitRatioMinLookupsPerSec && ratio < t.hitRatioMinPct) {
      add("AMBER", "hit_ratio", `${i.label} hit ratio fell to ${fmt(ratio, 0)}% (amber below ${t.hitRatioMinPct}%, ${fmt(lookups, 0)} lookups per second)`);
    }
  }
  if (s.latencyP99Us !== null) {
    const ms = `${fmt(s.latencyP99Us / 1000, 1)} ms`;
    if (s.latencyP99Us > t.latencyP99RedUs) add("RED", "latency", `${i.label} p99 latency ${ms}, over ${fmt(t.latencyP99RedUs / 1000)} ms`);
    else if (s.latencyP99Us > t.latencyP99AmberUs) add("AMBER", "latency", `${i.label} p99 latency ${ms}, over ${fmt(t.latencyP99AmberUs / 1000)} ms`);
  }
  if (s.proxyEjected !== null && s.proxyEjected > 0) {
    const names = Array.isArray(s.extra?.ejected) ? ` (${(s.extra.ejected as string[]).join(", ")})` : "";
    add("RED", "proxy_ejecting", `${i.label} ejected ${s.proxyEjected} server${s.proxyEjected === 1 ? "" : "s"}${names} in the last poll interval`);
  }
  if (s.proxyTimeouts !== null && s.proxyTimeouts >= t.proxyTimeoutsAmber) {
    const names = Array.isArray(s.extra?.timedOut) ? ` from ${(s.extra.timedOut as string[]).join(", ")}` : "";
    const level = s.proxyTimeouts >= t.proxyTimeoutsRed ? "RED" : "AMBER";
    add(level, "proxy_timeouts", `${i.label} saw ${s.proxyTimeouts} server timeout${s.proxyTimeouts === 1 ? "" : "s"}${names} in the last poll interval`);
  }
  return finish(reasons);
}

function finish(reasons: Reason[]): Verdict {
  reasons.sort(byLevel);
  return { level: reasons.reduce<Level>((l, r) => worse(l, r.level), "GREEN"), reasons };
}

/** A service: the worst of its instances, with every non-green reason, red first. */
export function serviceVerdict(instances: Verdict[]): Verdict {
  if (instances.length === 0) return { level: "UNKNOWN", reasons: [] };
  const reasons = instances.flatMap((v) => v.reasons).sort(byLevel);
  const level = instances.reduce<Level>((l, v) => worse(l, v.level), "GREEN");
  return { level, reasons };
}

/** "127.0.1.4:6380 (master of shard 2)" */
export function instanceLabel(ip: string, port: number, role: InstanceFacts["role"], shardIndex: number | null, note?: string): string {
  const what =
    role === "CACHE" ? `cache node${shardIndex !== null ? ` ${shardIndex}` : ""}`
    : role === "PROXY" || role === "SENTINEL" ? role.toLowerCase()
    : `${role.toLowerCase()}${shardIndex !== null ? ` of shard ${shardIndex}` : ""}`;
  return `${ip}:${port} (${what}${note ? `, ${note}` : ""})`;
}

/** `since` moves only when the level changes. */
export const nextSince = (previous: { level: Level; since: Date } | null, level: Level, now: Date): Date => (previous && previous.level === level ? previous.since : now);
