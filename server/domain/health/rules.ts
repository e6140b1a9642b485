import type { Thresholds } from "./thresholds";

export type Level = "GREEN" | "AMBER" | "RED" | "UNKNOWN";
/** An instance may also be in maintenance: a DBA's deliberate stop or window, shown and never paged. */
export type InstanceLevel = Level | "MAINTENANCE";
export type Param = string | number | boolean | null;
export type Params = Record<string, Param>;
/**
 * One reason, as a code with parameters that the page translates (i18n/messages/<locale>/health.json,
 * reasons.<code>). Instance reasons carry addr / role / shard (the page names the instance); a
 * `since` (ISO time) is rendered as a live duration.
 */
export type Reason = { code: ReasonCode; level: Exclude<InstanceLevel, "GREEN">; params: Params };

/** Every code the rules emit: each has an en and a zh-CN text (a unit test checks). */
export const REASON_CODES = [
  "canary_failed",
  "shard_no_master",
  "cache_node_down",
  "host_unreachable",
  "unreachable",
  "replication_link_down",
  "proxy_ejecting",
  "connections_rejected",
  "memory",
  "evictions",
  "automatic_action",
  "sentinel_quorum",
  "sentinel_no_quorum",
  "replica_lagging",
  "latency",
  "proxy_timeouts",
  "hit_ratio",
  "maintenance",
  "not_polled",
  "stale",
  "no_instances",
  "not_monitored",
  /** raised by another system (POST /api/v1/alerts) */
  "external_alert",
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

const RANK: Record<InstanceLevel, number> = { GREEN: 0, MAINTENANCE: 0, UNKNOWN: 1, AMBER: 2, RED: 3 };
export const worse = (a: Level, b: InstanceLevel): Level => (b !== "MAINTENANCE" && RANK[b] > RANK[a] ? b : a);
// Within a level, what clients see first, then the likely cause before its effects.
const codeRank = (c: string) => (REASON_CODES as readonly string[]).indexOf(c);
export const byLevel = (a: Reason, b: Reason) => RANK[b.level] - RANK[a.level] || codeRank(a.code) - codeRank(b.code);

export type Role = "MASTER" | "REPLICA" | "PROXY" | "CACHE" | "SENTINEL";

/** What the rules know of one instance. */
export interface InstanceFacts {
  addr: string;
  software: "REDIS" | "MEMCACHED" | "TWEMPROXY" | "REDIS_SENTINEL";
  role: Role;
  shard: number | null;
  /** replicas: "127.0.1.3:6380" */
  masterAddr?: string;
  /** its master's replication offset in the same tick (replicas) */
  masterOffset?: number | null;
  /** a DBA's maintenance until then (in the future), with the DBA's note */
  maintenance?: { until: Date; note: string | null } | null;
  /** the host's probe failed */
  hostDown?: { hostId: number; ip: string; since: Date } | null;
  /** other proxies of the service that answer (proxies) */
  otherProxiesUp?: number;
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
  level: InstanceLevel;
  reasons: Reason[];
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const who = (i: InstanceFacts): Params => ({ addr: i.addr, role: i.role, shard: i.shard });

/**
 * A replica's lag from replication offsets and the link: an idle replica with its master's offset
 * is never late, however long ago it last heard from the master. Behind its master, the seconds
 * since it last heard from it (Redis's master_last_io_seconds_ago). null when unknown.
 */
export function replicaLag(
  replicaOffset: number | null | undefined,
  masterOffset: number | null | undefined,
  lastIoSec: number | null,
): { sec: number; bytes: number } | null {
  if (typeof replicaOffset !== "number" || typeof masterOffset !== "number") return null;
  const bytes = Math.max(0, masterOffset - replicaOffset);
  return bytes === 0 ? { sec: 0, bytes: 0 } : { sec: lastIoSec ?? 0, bytes };
}

/**
 * The rules of one instance over its latest sample. downSince: since when polls fail. Thresholds
 * are already the service's effective ones. An instance in maintenance is only that.
 */
export function instanceVerdict(i: InstanceFacts, s: Observed | null, t: Thresholds & { mustNotEvict: boolean }, now: Date, downSince: Date | null): Verdict {
  if (i.maintenance && i.maintenance.until > now) {
    return {
      level: "MAINTENANCE",
      reasons: [
        {
          code: "maintenance",
          level: "MAINTENANCE",
          params: { ...who(i), until: i.maintenance.until.toISOString(), note: i.maintenance.note, down: s ? !s.up : null },
        },
      ],
    };
  }
  if (!s) return { level: "UNKNOWN", reasons: [{ code: "not_polled", level: "UNKNOWN", params: who(i) }] };
  const reasons: Reason[] = [];
  const add = (level: Reason["level"], code: ReasonCode, params: Params = {}) => reasons.push({ code, level, params: { ...who(i), ...params } });

  if (!s.up) {
    // what clients lose: a master or a cache node is their data; a replica, a Sentinel or one of several proxies is redundancy
    const level = i.role === "REPLICA" || i.role === "SENTINEL" || (i.role === "PROXY" && (i.otherProxiesUp ?? 0) > 0) ? "AMBER" : "RED";
    const since = (downSince ?? now).toISOString();
    if (i.hostDown) add(level, "host_unreachable", { since: i.hostDown.since.toISOString(), hostId: i.hostDown.hostId, host: i.hostDown.ip });
    else add(level, "unreachable", { since, error: typeof s.extra?.error === "string" ? s.extra.error : null });
    return finish(reasons);
  }
  if (i.role === "SENTINEL") {
    // a Sentinel that cannot gather a quorum could not fail its masters over: redundancy lost, clients still served
    const views = Array.isArray(s.extra?.sentinel) ? (s.extra.sentinel as { name: string; quorumOk: boolean; quorumError: string | null }[]) : [];
    const short = views.filter((v) => !v.quorumOk);
    if (short.length) add("AMBER", "sentinel_no_quorum", { names: short.map((v) => v.name).join(", "), error: short[0]!.quorumError });
    return finish(reasons);
  }
  if (i.role === "REPLICA" && s.replLinkUp === false) {
    const downSec = typeof s.extra?.masterLinkDownSec === "number" && s.extra.masterLinkDownSec >= 0 ? s.extra.masterLinkDownSec : null;
    add("AMBER", "replication_link_down", { master: i.masterAddr ?? null, downSec });
  } else if (i.role === "REPLICA") {
    const lag = replicaLag(typeof s.extra?.replOffset === "number" ? s.extra.replOffset : null, i.masterOffset, s.replLagSec);
    if (lag && lag.sec >= t.replLagRedSec) add("RED", "replica_lagging", { lagSec: round(lag.sec, 0), bytes: lag.bytes, threshold: t.replLagRedSec });
    else if (lag && lag.sec >= t.replLagAmberSec)
      add("AMBER", "replica_lagging", { lagSec: round(lag.sec, 0), bytes: lag.bytes, threshold: t.replLagAmberSec });
  }
  // Memcached fills its memory by design (it evicts the least used): memory is a Redis rule.
  if (i.software === "REDIS" && s.usedMemoryMb !== null && s.maxmemoryMb) {
    const pct = (100 * s.usedMemoryMb) / s.maxmemoryMb;
    const p = { pct: round(pct, 0), usedMb: round(s.usedMemoryMb), maxMb: round(s.maxmemoryMb, 0) };
    if (pct >= t.memoryRedPct) add("RED", "memory", { ...p, threshold: t.memoryRedPct });
    else if (pct >= t.memoryAmberPct) add("AMBER", "memory", { ...p, threshold: t.memoryAmberPct });
  }
  if (s.rejectedPerSec !== null && s.rejectedPerSec > 0) add("RED", "connections_rejected", { perSec: round(s.rejectedPerSec, 2) });
  if (t.mustNotEvict && s.evictionsPerSec !== null && s.evictionsPerSec > 0) add("RED", "evictions", { perSec: round(s.evictionsPerSec, 2) });
  if (t.hitRatioMinPct > 0 && s.hitsPerSec !== null && s.missesPerSec !== null) {
    const lookups = s.hitsPerSec + s.missesPerSec;
    const ratio = lookups > 0 ? (100 * s.hitsPerSec) / lookups : 100;
    if (lookups >= t.hitRatioMinLookupsPerSec && ratio < t.hitRatioMinPct)
      add("AMBER", "hit_ratio", { pct: round(ratio, 0), threshold: t.hitRatioMinPct, lookups: round(lookups, 0) });
  }
  if (s.latencyP99Us !== null) {
    const ms = round(s.latencyP99Us / 1000, 1);
    if (s.latencyP99Us > t.latencyP99RedUs) add("RED", "latency", { ms, threshold: round(t.latencyP99RedUs / 1000) });
    else if (s.latencyP99Us > t.latencyP99AmberUs) add("AMBER", "latency", { ms, threshold: round(t.latencyP99AmberUs / 1000) });
  }
  if (s.proxyEjected !== null && s.proxyEjected > 0)
    add("RED", "proxy_ejecting", { n: s.proxyEjected, names: Array.isArray(s.extra?.ejected) ? (s.extra.ejected as string[]).join(", ") : null });
  if (s.proxyTimeouts !== null && s.proxyTimeouts >= t.proxyTimeoutsAmber) {
    add(s.proxyTimeouts >= t.proxyTimeoutsRed ? "RED" : "AMBER", "proxy_timeouts", {
      n: s.proxyTimeouts,
      names: Array.isArray(s.extra?.timedOut) ? (s.extra.timedOut as string[]).join(", ") : null,
    });
  }
  return finish(reasons);
}

function finish(reasons: Reason[]): Verdict {
  reasons.sort(byLevel);
  return { level: reasons.reduce<Level>((l, r) => worse(l, r.level), "GREEN"), reasons };
}

/** The latest canary through the service's entry point. */
export interface CanaryFacts {
  ok: boolean;
  entry: string;
  via: string;
  keys: number;
  failed: number;
  error: string | null;
  failingSince: Date | null;
}

/** One instance of a service as the service rules see it: its facts, its verdict, whether it answered. */
export interface Member {
  facts: InstanceFacts;
  verdict: Verdict;
  up: boolean | null;
}

export interface ServiceFacts {
  kind: "REDIS_STANDALONE" | "REDIS_SENTINEL" | "REDIS_TWEMPROXY" | "MEMCACHED" | "MEMCACHED_TWEMPROXY";
  members: Member[];
  canary: CanaryFacts | null;
  /** Hedwig's own jobs queued or running on the service (failover, restart) */
  automatic: { kind: string; since: Date }[];
  /** Sentinels watching the service that answer, of how many (null: none, or not probed) */
  sentinels: { up: number; total: number } | null;
}

const inMaintenance = (m: Member) => m.verdict.level === "MAINTENANCE";
const serving = (m: Member) => m.facts.role === "MASTER" || m.facts.role === "CACHE" || m.facts.role === "PROXY";

/**
 * A service's colour from what its clients see. Red: the canary failed, a shard has no master, an
 * entry point is down. Amber: redundancy or headroom lost while clients are served (a replica or
 * one of several proxies down, Sentinel quorum at risk, memory high, Hedwig's own failover or
 * restart running). Instance reasons come along, worst first. A red reason that a DBA's maintenance
 * explains is marked `maintenance: true` (shown, not paged); one that a dead host explains carries
 * its `hostId` (one incident for the host).
 */
export function serviceVerdict(f: ServiceFacts, now: Date): Verdict {
  const { members } = f;
  if (members.length === 0) return { level: "UNKNOWN", reasons: [] };
  const reasons: Reason[] = members.flatMap((m) => m.verdict.reasons);
  const down = (ms: Member[]) => ms.filter((m) => m.up === false || (inMaintenance(m) && m.verdict.reasons[0]?.params.down === true));
  const cause = (ms: Member[]): Params => {
    const dead = down(ms);
    if (dead.length && dead.every(inMaintenance)) return { maintenance: true };
    const host = dead.find((m) => m.facts.hostDown)?.facts.hostDown;
    return host && dead.every((m) => m.facts.hostDown || inMaintenance(m)) ? { hostId: host.hostId, host: host.ip } : {};
  };

  // shards: a Redis shard whose masters all fail loses its keys; so does a Memcached node without a proxy
  const data = members.filter((m) => m.facts.role === "MASTER" || m.facts.role === "REPLICA" || m.facts.role === "CACHE");
  const shards = [...new Set(data.map((m) => m.facts.shard ?? 0))].sort((a, b) => a - b);
  const pct = (n: number) => Math.round((100 * n) / Math.max(1, shards.length));
  const lost: { shard: number; members: Member[] }[] = [];
  for (const shard of shards) {
    const heads = data.filter((m) => (m.facts.shard ?? 0) === shard && m.facts.role !== "REPLICA");
    if (heads.length && heads.every((m) => m.up === false || inMaintenance(m)) && down(heads).length) lost.push({ shard, members: heads });
  }
  const isCache = f.kind === "MEMCACHED" || f.kind === "MEMCACHED_TWEMPROXY";
  for (const l of lost) {
    reasons.push({
      code: isCache ? "cache_node_down" : "shard_no_master",
      level: "RED",
      params: { shard: l.shard, shards: shards.length, pct: pct(lost.length), ...cause(l.members) },
    });
  }
  if (f.canary && !f.canary.ok) {
    reasons.push({
      code: "canary_failed",
      level: "RED",
      params: {
        entry: f.canary.entry,
        via: f.canary.via,
        keys: f.canary.keys,
        failed: f.canary.failed,
        error: f.canary.error,
        since: (f.canary.failingSince ?? now).toISOString(),
        ...cause(members.filter(serving)),
      },
    });
  }
  if (f.sentinels && f.sentinels.total > 0 && f.sentinels.up < f.sentinels.total) {
    const majority = Math.floor(f.sentinels.total / 2) + 1;
    reasons.push({
      code: "sentinel_quorum",
      level: "AMBER",
      params: { up: f.sentinels.up, total: f.sentinels.total, majority, lost: f.sentinels.up < majority },
    });
  }
  for (const a of f.automatic) reasons.push({ code: "automatic_action", level: "AMBER", params: { kind: a.kind, since: a.since.toISOString() } });
  reasons.sort(byLevel);
  return { level: reasons.reduce<Level>((l, r) => worse(l, r.level), "GREEN"), reasons };
}

/** Whether a red service pages: some red reason is neither a DBA's maintenance nor a dead host's. */
export function pagingReasons(v: Verdict): Reason[] {
  return v.reasons.filter((r) => r.level === "RED" && r.params.maintenance !== true && r.params.hostId == null);
}

/** The dead hosts that explain a red service's red reasons (each carries its hostId). */
export function explainingHosts(v: Verdict): number[] {
  return [...new Set(v.reasons.filter((r) => r.level === "RED" && typeof r.params.hostId === "number").map((r) => r.params.hostId as number))];
}

/** `since` moves only when the level changes. */
export const nextSince = (previous: { level: string; since: Date } | null, level: string, now: Date): Date =>
  previous && previous.level === level ? previous.since : now;

/** Operator English for logs and the incident's first-reason column: never shown to people on a page. */
export function reasonLog(r: Reason): string {
  const p = Object.entries(r.params)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `${k}=${v}`)
    .join(" ");
  return `${r.code}${p ? ` ${p}` : ""}`;
}
