import { DEFAULT_NUTCRACKER_OPTIONS, type NutcrackerOptions } from "../provisioning/configs/nutcracker-yml";
import type { SentinelTimings } from "../provisioning/configs/sentinel-conf";

/** How the catalogue's parameters (params-catalog.ts) become the renderers' inputs. */

type Values = Readonly<Record<string, string>> | undefined;
const int = (v: Values, key: string, fallback: number) => (v?.[key] === undefined ? fallback : Number(v[key]));

/** Redis parameters as redis.conf lines: a buffer limit per client class, the others by their own name. */
export function redisParamLines(v: Values): string[] {
  return Object.entries(v ?? {}).map(([key, value]) => {
    const cls = /^client-output-buffer-limit-(normal|replica|pubsub)$/.exec(key)?.[1];
    return cls ? `client-output-buffer-limit ${cls} ${value}` : `${key} ${value}`;
  });
}

/** CONFIG SET's name and value of a Redis parameter. */
export function redisConfigSet(key: string, value: string): [string, string] {
  const cls = /^client-output-buffer-limit-(normal|replica|pubsub)$/.exec(key)?.[1];
  return cls ? ["client-output-buffer-limit", `${cls} ${value}`] : [key, value];
}

export const nutcrackerOptionsOf = (v: Values): NutcrackerOptions => ({
  timeoutMs: int(v, "timeout", DEFAULT_NUTCRACKER_OPTIONS.timeoutMs),
  serverRetryTimeoutMs: int(v, "server_retry_timeout", DEFAULT_NUTCRACKER_OPTIONS.serverRetryTimeoutMs),
  serverFailureLimit: int(v, "server_failure_limit", DEFAULT_NUTCRACKER_OPTIONS.serverFailureLimit),
});

export const memcachedOptionsOf = (v: Values) => ({
  maxConnections: int(v, "max-connections", 4096),
  threads: int(v, "threads", 4),
  ...(v?.["max-item-size"] ? { itemSizeKb: Number(v["max-item-size"]) } : {}),
  ...(v?.["reqs-per-event"] ? { reqsPerEvent: Number(v["reqs-per-event"]) } : {}),
});

export const sentinelTimingsOf = (base: SentinelTimings, v: Values): SentinelTimings => ({
  downAfterMs: int(v, "down-after-milliseconds", base.downAfterMs),
  failoverTimeoutMs: int(v, "failover-timeout", base.failoverTimeoutMs),
  parallelSyncs: int(v, "parallel-syncs", base.parallelSyncs),
});
