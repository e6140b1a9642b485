import type { Software } from "../../../generated/prisma/enums";
import { text } from "../../../lib/text";
import { badInput } from "../errors";
import type { Persistence } from "../provisioning/request-schema";

/**
 * The parameters a DBA may change on a service, per software, with their allowed ranges. How a
 * change reaches the processes depends on the software: Redis takes CONFIG SET (then CONFIG REWRITE)
 * and Sentinel SENTINEL SET (it rewrites its own file); Memcached reads its arguments and Twemproxy
 * its nutcracker.yml only when they start, so those are restarted one at a time. Every value is also
 * an input of the renderers, so a redeploy writes it again.
 */
export type ParamKind =
  | { type: "int"; min: number; max: number; unit?: "s" | "ms" | "us" | "kb" }
  | { type: "enum"; values: readonly string[] }
  /** Redis's "HARD SOFT SECONDS" of one client class */
  | { type: "buffer" };

export type ParamDef = {
  software: Software;
  key: string;
  kind: ParamKind;
  /** what the deployment renders when the DBA sets nothing; null: it depends (see note) */
  default: string | null;
  apply: "live" | "restart";
  /** only for these service kinds (e.g. ejection exists only in a Memcached pool) */
  onlyFor?: "memcachedPool";
};

const REDIS_POLICIES = ["noeviction", "allkeys-lru", "allkeys-lfu", "allkeys-random", "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl"];

export const PARAMETERS: readonly ParamDef[] = [
  // default by persistence: a cache evicts, persisted data refuses writes (redis-conf.ts)
  { software: "REDIS", key: "maxmemory-policy", kind: { type: "enum", values: REDIS_POLICIES }, default: null, apply: "live" },
  { software: "REDIS", key: "timeout", kind: { type: "int", min: 0, max: 86_400, unit: "s" }, default: "0", apply: "live" },
  { software: "REDIS", key: "tcp-keepalive", kind: { type: "int", min: 0, max: 7_200, unit: "s" }, default: "300", apply: "live" },
  { software: "REDIS", key: "hz", kind: { type: "int", min: 1, max: 500 }, default: "10", apply: "live" },
  { software: "REDIS", key: "maxclients", kind: { type: "int", min: 64, max: 100_000 }, default: "10000", apply: "live" },
  { software: "REDIS", key: "slowlog-log-slower-than", kind: { type: "int", min: -1, max: 10_000_000, unit: "us" }, default: "10000", apply: "live" },
  { software: "REDIS", key: "slowlog-max-len", kind: { type: "int", min: 0, max: 100_000 }, default: "1024", apply: "live" },
  { software: "REDIS", key: "client-output-buffer-limit-normal", kind: { type: "buffer" }, default: "0 0 0", apply: "live" },
  { software: "REDIS", key: "client-output-buffer-limit-replica", kind: { type: "buffer" }, default: "256mb 64mb 60", apply: "live" },
  { software: "REDIS", key: "client-output-buffer-limit-pubsub", kind: { type: "buffer" }, default: "32mb 8mb 60", apply: "live" },
  // default by service kind: 3 s beside Twemproxy, 10 s otherwise (sentinel-conf.ts)
  { software: "REDIS_SENTINEL", key: "down-after-milliseconds", kind: { type: "int", min: 1_000, max: 600_000, unit: "ms" }, default: null, apply: "live" },
  { software: "REDIS_SENTINEL", key: "failover-timeout", kind: { type: "int", min: 5_000, max: 3_600_000, unit: "ms" }, default: null, apply: "live" },
  { software: "REDIS_SENTINEL", key: "parallel-syncs", kind: { type: "int", min: 1, max: 16 }, default: "1", apply: "live" },
  { software: "MEMCACHED", key: "max-connections", kind: { type: "int", min: 64, max: 65_536 }, default: "4096", apply: "restart" },
  { software: "MEMCACHED", key: "threads", kind: { type: "int", min: 1, max: 64 }, default: "4", apply: "restart" },
  { software: "MEMCACHED", key: "max-item-size", kind: { type: "int", min: 1_024, max: 16_384, unit: "kb" }, default: "1024", apply: "restart" },
  { software: "MEMCACHED", key: "reqs-per-event", kind: { type: "int", min: 1, max: 1_000 }, default: "20", apply: "restart" },
  { software: "TWEMPROXY", key: "timeout", kind: { type: "int", min: 50, max: 60_000, unit: "ms" }, default: "400", apply: "restart" },
  {
    software: "TWEMPROXY",
    key: "server_retry_timeout",
    kind: { type: "int", min: 1_000, max: 600_000, unit: "ms" },
    default: "30000",
    apply: "restart",
    onlyFor: "memcachedPool",
  },
  { software: "TWEMPROXY", key: "server_failure_limit", kind: { type: "int", min: 1, max: 100 }, default: "3", apply: "restart", onlyFor: "memcachedPool" },
];

/** A service's parameters away from their defaults, per software. */
export type ServiceParams = Partial<Record<Software, Record<string, string>>>;

export const PERSISTENCES: readonly Persistence[] = ["none", "rdb", "aof"];

export const paramDef = (software: Software, key: string) => PARAMETERS.find((p) => p.software === software && p.key === key);

const BUFFER_SIZE = /^(0|[1-9]\d{0,12}(b|kb|mb|gb)?)$/i;
const MAX_BUFFER_BYTES = 64 * 1024 ** 3;
const bytesOf = (v: string) => {
  const m = /^(\d+)(b|kb|mb|gb)?$/i.exec(v)!;
  return Number(m[1]) * { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[(m[2] ?? "b").toLowerCase() as "b"];
};

/** The value as the software takes it, or a refusal naming the allowed range. */
export function normalizeParam(software: Software, key: string, raw: string): string {
  const def = paramDef(software, key);
  if (!def) throw badInput(text("dayTwo.errors.unknownParam", { software, key }));
  const value = raw.trim();
  const kind = def.kind;
  switch (kind.type) {
    case "int": {
      const n = /^-?\d{1,10}$/.test(value) ? Number(value) : NaN;
      if (!Number.isInteger(n) || n < kind.min || n > kind.max)
        throw badInput(text("dayTwo.errors.outOfRange", { key, value: value.slice(0, 40), min: kind.min, max: kind.max }));
      return String(n);
    }
    case "enum":
      if (!kind.values.includes(value)) throw badInput(text("dayTwo.errors.notOneOf", { key, value: value.slice(0, 40), values: kind.values.join(", ") }));
      return value;
    case "buffer": {
      const parts = value.toLowerCase().split(/\s+/);
      const seconds = Number(parts[2]);
      const ok =
        parts.length === 3 &&
        BUFFER_SIZE.test(parts[0]!) &&
        BUFFER_SIZE.test(parts[1]!) &&
        bytesOf(parts[0]!) <= MAX_BUFFER_BYTES &&
        bytesOf(parts[1]!) <= MAX_BUFFER_BYTES &&
        /^\d{1,4}$/.test(parts[2]!) &&
        seconds <= 3_600;
      if (!ok) throw badInput(text("dayTwo.errors.badBuffer", { key, value: value.slice(0, 40) }));
      return parts.join(" ");
    }
  }
}

/**
 * Checks a whole set of parameters for a service of these softwares: every value normalized, none of
 * a software the service does not run, none only a Memcached pool has on a Redis pool. A value equal
 * to its default is dropped (the set names what differs from the deployment).
 */
export function normalizeParams(params: ServiceParams, softwares: readonly Software[], memcachedPool: boolean): ServiceParams {
  const out: ServiceParams = {};
  for (const [software, values] of Object.entries(params) as [Software, Record<string, string>][]) {
    const keys = Object.keys(values ?? {});
    if (keys.length === 0) continue;
    if (!softwares.includes(software)) throw badInput(text("dayTwo.errors.notInService", { software }));
    for (const key of keys) {
      const def = paramDef(software, key);
      if (def?.onlyFor === "memcachedPool" && !memcachedPool) throw badInput(text("dayTwo.errors.memcachedPoolOnly", { key }));
      const value = normalizeParam(software, key, values[key]!);
      if (def?.default === value) continue;
      (out[software] ??= {})[key] = value;
    }
  }
  return out;
}

export type ParamChange = { software: Software; key: string; from: string | null; to: string | null };

/** What differs between two sets (null: the default), in catalogue order. */
export function diffParams(before: ServiceParams, after: ServiceParams): ParamChange[] {
  const changes: ParamChange[] = [];
  for (const def of PARAMETERS) {
    const from = before[def.software]?.[def.key] ?? null;
    const to = after[def.software]?.[def.key] ?? null;
    if (from !== to) changes.push({ software: def.software, key: def.key, from, to });
  }
  return changes;
}
