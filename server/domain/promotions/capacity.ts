import type { ServiceKind } from "../../../generated/prisma/enums";
import { isMemcachedKind as isMemcached, isProxiedKind as isProxied } from "../provisioning/request-schema";
import type { SizingSettings } from "../provisioning/sizing-settings";

/** What a service runs today, from its instances (data instances are masters or Memcached nodes). */
export type Footprint = { kind: ServiceKind; shards: number; proxies: number; maxmemoryMb: number };

export type Capacity = {
  /** what the shards carry (ceiling per shard × shards) and, when proxied, the proxies (ceiling × proxies); the lower one binds */
  qps: number;
  shardQps: number;
  proxyQps: number | null;
  perShardQps: number;
  perProxyQps: number;
  memMb: number;
  perShardMemMb: number;
  maxShardMemMb: number;
};

/** Null when the service has no data instance (nothing to measure capacity against). */
export function capacityOf(f: Footprint, s: SizingSettings): Capacity | null {
  if (f.shards <= 0 || f.maxmemoryMb <= 0) return null;
  const perShardQps = isMemcached(f.kind) ? s.memcachedQpsPerNode : s.redisQpsPerShard;
  const shardQps = perShardQps * f.shards;
  const proxyQps = isProxied(f.kind) ? s.proxyQps * f.proxies : null;
  return {
    qps: proxyQps === null ? shardQps : Math.min(shardQps, proxyQps),
    shardQps,
    proxyQps,
    perShardQps,
    perProxyQps: s.proxyQps,
    memMb: f.maxmemoryMb,
    perShardMemMb: f.maxmemoryMb / f.shards,
    maxShardMemMb: (isMemcached(f.kind) ? s.memcachedMaxNodeMemoryGb : s.redisMaxShardMemoryGb) * 1024,
  };
}

export type Action =
  | { kind: "shards"; from: number; to: number }
  /** a single-shard service becomes shards behind Twemproxy */
  | { kind: "split"; to: number; proxies: number }
  | { kind: "proxies"; from: number; to: number }
  | { kind: "memory"; fromMbPerShard: number; toMbPerShard: number };

export type Risk = {
  /** forecast ÷ usable capacity (capacity × (1 − headroom)); above 1 is at risk */
  qpsLoad: number;
  memLoad: number;
  load: number;
  atRisk: boolean;
  actions: Action[];
  /** the service as it should be for the promotion */
  target: { kind: ServiceKind; shards: number; proxies: number; memMbPerShard: number; totalMemMb: number; peakQps: number };
};

const roundUp = (x: number, step: number) => Math.ceil(x / step) * step;

/**
 * Loads against capacity kept `headroom` free, and the smallest change that carries the forecast:
 * enough shards for the QPS and for the memory at the largest allowed shard, maxmemory per shard
 * raised to fit, enough proxies for the QPS. A one-shard service that needs more shards is a split.
 */
export function assessRisk(
  f: Footprint,
  cap: Capacity,
  forecast: { qps: number; memMb: number },
  headroom: number,
  s: Pick<SizingSettings, "memoryStepMb" | "minProxies">,
): Risk {
  const usable = 1 - headroom;
  const qpsLoad = forecast.qps / (cap.qps * usable);
  const memLoad = forecast.memMb / (cap.memMb * usable);
  const needMem = forecast.memMb / usable;
  const shards = Math.max(f.shards, Math.ceil(forecast.qps / (cap.perShardQps * usable)), Math.ceil(needMem / cap.maxShardMemMb));
  const memMbPerShard = needMem / shards <= cap.perShardMemMb ? cap.perShardMemMb : roundUp(needMem / shards, s.memoryStepMb);
  const proxied = isProxied(f.kind) || shards > 1;
  const proxies = proxied ? Math.max(f.proxies, s.minProxies, Math.ceil(forecast.qps / (cap.perProxyQps * usable))) : 0;
  const actions: Action[] = [];
  if (shards > f.shards)
    actions.push(f.shards === 1 && !isProxied(f.kind) ? { kind: "split", to: shards, proxies } : { kind: "shards", from: f.shards, to: shards });
  if (proxies > f.proxies && isProxied(f.kind)) actions.push({ kind: "proxies", from: f.proxies, to: proxies });
  if (memMbPerShard > cap.perShardMemMb) actions.push({ kind: "memory", fromMbPerShard: Math.round(cap.perShardMemMb), toMbPerShard: memMbPerShard });
  const kind: ServiceKind = proxied && !isProxied(f.kind) ? (isMemcached(f.kind) ? "MEMCACHED_TWEMPROXY" : "REDIS_TWEMPROXY") : f.kind;
  return {
    qpsLoad,
    memLoad,
    load: Math.max(qpsLoad, memLoad),
    atRisk: qpsLoad > 1 || memLoad > 1,
    actions,
    target: { kind, shards, proxies, memMbPerShard, totalMemMb: memMbPerShard * shards, peakQps: Math.ceil(forecast.qps / usable) },
  };
}
