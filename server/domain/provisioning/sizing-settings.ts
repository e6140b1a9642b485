import { text } from "../../../lib/text";
import { badInput } from "../errors";
import type { Importance } from "../scheduler/types";

const IMPORTANCES: readonly Importance[] = [1, 2, 3, 4, 5];

/**
 * The thresholds of the sizing rules. Flat names, so a plan's reasons can cite the one that decided
 * ("settings: redisMaxShardMemoryGb") and an admin finds it by that name.
 */
export interface SizingSettings {
  /** capacity and QPS are multiplied by this before they are divided: room to grow until the next review */
  headroom: number;
  /** a bigger Redis forks, loads and resyncs slowly, and a lost shard takes more with it */
  redisMaxShardMemoryGb: number;
  /** single-threaded Redis: what one shard serves with latency to spare */
  redisQpsPerShard: number;
  /** multi-threaded, but a lost node empties this much of the cache at once */
  memcachedMaxNodeMemoryGb: number;
  memcachedQpsPerNode: number;
  /** single-threaded Twemproxy */
  proxyQps: number;
  /** fewest proxies behind a VIP: one can fail or be upgraded while the other serves */
  minProxies: number;
  /** from this importance up, one spare proxy beyond what the peak needs (N+1); 6 = never */
  spareProxyFromImportance: number;
  /** copies per Redis shard, master included, by the product line's importance */
  copiesByImportance: Record<Importance, number>;
  /** copies when high availability is asked or the kind is master/replica */
  haCopies: number;
  /** Sentinels of a master/replica service (odd: an even count tolerates no more failures) */
  sentinelsByImportance: Record<Importance, number>;
  /** smallest maxmemory of a shard */
  minShardMemoryMb: number;
  /** maxmemory is rounded up to a multiple of this */
  memoryStepMb: number;
  /** memory a key takes beyond its value (dict entry, object header, key string) */
  bytesPerKey: number;
  /** an instance reserves maxmemory × this: fragmentation, client and replication buffers */
  memoryOverhead: number;
  /** with persistence: a fork for a snapshot or an AOF rewrite copies the pages written meanwhile */
  persistentMemoryOverhead: number;
  /** with persistence, disk = maxmemory × this: an AOF rewrite or RDB dump beside the previous file */
  persistenceDiskFactor: number;
  /** disk every instance gets for its logs and config */
  logDiskGb: number;
  redisCpu: number;
  memcachedCpu: number;
  proxyCpu: number;
  sentinelCpu: number;
  proxyMemoryMb: number;
  sentinelMemoryMb: number;
  /** reserved bandwidth is estimated from QPS and item size, rounded up to this step, never below it */
  bandwidthStepMbps: number;
}

// Specs of proxies and Sentinels follow the catalog's seeded "standard" and "tiny" flavours.
export const DEFAULT_SIZING_SETTINGS: SizingSettings = {
  headroom: 1.3,
  redisMaxShardMemoryGb: 12,
  redisQpsPerShard: 60_000,
  memcachedMaxNodeMemoryGb: 16,
  memcachedQpsPerNode: 100_000,
  proxyQps: 80_000,
  minProxies: 2,
  spareProxyFromImportance: 4,
  copiesByImportance: { 1: 1, 2: 1, 3: 1, 4: 2, 5: 3 },
  haCopies: 2,
  sentinelsByImportance: { 1: 3, 2: 3, 3: 3, 4: 3, 5: 5 },
  minShardMemoryMb: 512,
  memoryStepMb: 256,
  bytesPerKey: 64,
  memoryOverhead: 1.2,
  persistentMemoryOverhead: 1.5,
  persistenceDiskFactor: 2,
  logDiskGb: 2,
  redisCpu: 1,
  memcachedCpu: 2,
  proxyCpu: 1,
  sentinelCpu: 0.5,
  proxyMemoryMb: 512,
  sentinelMemoryMb: 256,
  bandwidthStepMbps: 10,
};

export type StoredSizingSettings = Partial<Omit<SizingSettings, "copiesByImportance" | "sentinelsByImportance">> & {
  copiesByImportance?: Partial<Record<Importance, number>>;
  sentinelsByImportance?: Partial<Record<Importance, number>>;
};

const INTEGERS: readonly (keyof SizingSettings)[] = [
  "redisQpsPerShard",
  "memcachedQpsPerNode",
  "proxyQps",
  "minProxies",
  "spareProxyFromImportance",
  "haCopies",
  "minShardMemoryMb",
  "memoryStepMb",
  "bytesPerKey",
  "logDiskGb",
  "proxyMemoryMb",
  "sentinelMemoryMb",
  "bandwidthStepMbps",
];
const AT_LEAST_ONE: readonly (keyof SizingSettings)[] = ["headroom", "memoryOverhead", "persistentMemoryOverhead", "persistenceDiskFactor"];

/** Fills what an admin left out with the defaults and refuses values the sizing rules cannot use. */
export function resolveSizingSettings(stored: StoredSizingSettings = {}): SizingSettings {
  const d = DEFAULT_SIZING_SETTINGS;
  const s: SizingSettings = {
    ...d,
    ...stored,
    copiesByImportance: { ...d.copiesByImportance, ...stored.copiesByImportance },
    sentinelsByImportance: { ...d.sentinelsByImportance, ...stored.sentinelsByImportance },
  };
  for (const [name, value] of Object.entries(s)) {
    if (typeof value === "object") continue;
    if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
      throw badInput(text("sizing.settings.positive", { name, value: String(value) }));
    }
  }
  for (const name of INTEGERS) {
    if (!Number.isInteger(s[name])) throw badInput(text("sizing.settings.whole", { name, value: String(s[name]) }));
  }
  for (const name of AT_LEAST_ONE) {
    if ((s[name] as number) < 1) throw badInput(text("sizing.settings.atLeastOne", { name, value: String(s[name]) }));
  }
  if (s.minProxies < 2) throw badInput(text("sizing.settings.minProxies", { value: s.minProxies }));
  if (s.spareProxyFromImportance > 6) {
    throw badInput(text("sizing.settings.spareProxy", { value: s.spareProxyFromImportance }));
  }
  if (s.haCopies < 2) throw badInput(text("sizing.settings.haCopies", { value: s.haCopies }));
  if (s.minShardMemoryMb > s.redisMaxShardMemoryGb * 1024) {
    throw badInput(text("sizing.settings.minShard", { value: s.minShardMemoryMb, max: s.redisMaxShardMemoryGb }));
  }
  for (const importance of IMPORTANCES) {
    const copies = s.copiesByImportance[importance];
    if (!Number.isInteger(copies) || copies < 1 || copies > 5) {
      throw badInput(text("sizing.settings.copies", { importance, value: copies }));
    }
    const sentinels = s.sentinelsByImportance[importance];
    if (!Number.isInteger(sentinels) || sentinels < 3 || sentinels > 9 || sentinels % 2 === 0) {
      throw badInput(text("sizing.settings.sentinels", { importance, value: sentinels }));
    }
  }
  return s;
}
