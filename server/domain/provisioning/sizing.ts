import type { InstanceRole, ServiceKind, Software } from "../../../generated/prisma/enums";
import { text, type Text } from "../../../lib/text";
import { badInput } from "../errors";
import type { Importance, Spec } from "../scheduler/types";
import { isMemcachedKind, isProxiedKind, type RequestForm } from "./request-schema";
import { TWEMPROXY_SENTINEL_TIMINGS } from "./configs/sentinel-conf";
import { DEFAULT_SIZING_SETTINGS, type SizingSettings } from "./sizing-settings";

/**
 * Sizing (资源分配): from what the requester asked, the product line's importance and what
 * monitoring saw of the product line, decide shards, copies, Sentinels, proxies and the spec of
 * each instance. Every decision adds one sentence to `reasons`, naming the setting that drove it,
 * so the requester and the approving DBA read why and an admin knows what to tune.
 */

export type SizingInput = Pick<RequestForm, "kind" | "capacityGb" | "peakQps" | "expectedKeys" | "persistence" | "highAvailability" | "readRatio">;

/** What monitoring saw of the product line's workload, when it has any. */
export interface ProductLineHistory {
  peakQps: number;
  peakMemoryMb: number;
  /** expected growth over the next year as a factor: 1.4 is +40 % */
  growthPerYear: number;
}

/** What a DBA may change of the proposed plan before approving; the rest is recomputed from it. */
export interface PlanAdjustment {
  shards?: number;
  perShardMemoryMb?: number;
  replicas?: number;
  proxies?: number;
}

export interface RolePlan {
  role: InstanceRole;
  software: Software;
  count: number;
  spec: Spec;
}

export interface Plan {
  kind: ServiceKind;
  shards: number;
  /** maxmemory of Redis, -m of Memcached */
  perShardMemoryMb: number;
  /** copies per shard, master included */
  replicas: number;
  /** 0, or an odd number for a master/replica service */
  sentinels: number;
  /** Sentinels that must agree a master is down: a majority */
  sentinelQuorum: number;
  /**
   * PROXY: one Sentinel on each proxy's host, watching every shard and rewriting its own proxy
   * after a failover (the Vipshop layout); absent: the Sentinels have hosts of their own.
   */
  sentinelsBeside?: "PROXY";
  /** 0, or ≥ 2 behind a VIP */
  proxies: number;
  vip: boolean;
  roles: RolePlan[];
  totals: Spec & { instances: number };
  /** text codes (lib/text.ts); a plan stored before they were codes holds English strings */
  reasons: Text[];
}

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

/** ceil that ignores floating-point dust, so 12 GB asked against 12 GB shards stays one shard */
const ceil = (x: number) => Math.ceil(x - 1e-9);
const roundUpTo = (x: number, step: number) => ceil(x / step) * step;
const num = (n: number) => (Number.isInteger(n) ? n : Math.round(n * 10) / 10).toLocaleString("en-US");
/** one decimal, two below 1 GB so a small request does not read as its own rounding */
const gb = (mb: number) => (mb < 1024 ? `${Math.round((mb / 1024) * 100) / 100} GB` : `${num(mb / 1024)} GB`);

export function sizeRequest(
  input: SizingInput,
  productLine: { importance: number },
  history: ProductLineHistory | null,
  settings: SizingSettings = DEFAULT_SIZING_SETTINGS,
  adjust: PlanAdjustment = {},
): Plan {
  const importance = checkImportance(productLine.importance);
  if (history) checkHistory(history);
  const s = settings;
  const memcached = isMemcachedKind(input.kind);
  const proxied = isProxiedKind(input.kind);
  const persistent = input.persistence !== "none";
  const unit = memcached ? "node" : "shard";
  const reasons: Text[] = [];
  const kind = text(`sizing.kinds.${input.kind}`);
  /** A DBA's figure replaces the computed one, and the plan says so beside the computation. */
  const adjusted = (what: Text, computed: number, wanted: number | undefined) => {
    if (wanted === undefined || wanted === computed) return computed;
    reasons.push(text("sizing.reasons.adjusted", { what, from: num(computed), to: num(wanted) }));
    return wanted;
  };

  // Demand: what was asked, or what monitoring says the product line will reach, plus headroom.
  const askedMb = input.capacityGb * 1024 + (input.expectedKeys * s.bytesPerKey) / MIB;
  const historyMb = history ? history.peakMemoryMb * history.growthPerYear : 0;
  const dataMb = Math.max(askedMb, historyMb);
  const needMb = dataMb * s.headroom;
  reasons.push(
    historyMb > askedMb
      ? text("sizing.reasons.memoryFromHistory", {
          need: gb(needMb),
          peak: gb(history!.peakMemoryMb),
          growth: num(history!.growthPerYear),
          history: gb(historyMb),
          asked: gb(askedMb),
          headroom: num(s.headroom),
        })
      : text("sizing.reasons.memoryAsked", {
          need: gb(needMb),
          asked: gb(input.capacityGb * 1024),
          keys: num(input.expectedKeys),
          bytesPerKey: s.bytesPerKey,
          headroom: num(s.headroom),
        }),
  );
  const historyQps = history ? history.peakQps * history.growthPerYear : 0;
  const needQps = ceil(Math.max(input.peakQps, historyQps) * s.headroom);
  reasons.push(
    historyQps > input.peakQps
      ? text("sizing.reasons.trafficFromHistory", {
          need: num(needQps),
          peak: num(history!.peakQps),
          growth: num(history!.growthPerYear),
          asked: num(input.peakQps),
          headroom: num(s.headroom),
        })
      : text("sizing.reasons.trafficAsked", { need: num(needQps), asked: num(input.peakQps), headroom: num(s.headroom) }),
  );

  // Shards: enough that neither memory nor QPS exceeds what one shard should carry.
  const maxShardMb = (memcached ? s.memcachedMaxNodeMemoryGb : s.redisMaxShardMemoryGb) * 1024;
  const maxShardSetting = memcached ? "memcachedMaxNodeMemoryGb" : "redisMaxShardMemoryGb";
  const qpsPerShard = memcached ? s.memcachedQpsPerNode : s.redisQpsPerShard;
  const qpsSetting = memcached ? "memcachedQpsPerNode" : "redisQpsPerShard";
  const byMemory = ceil(needMb / maxShardMb);
  const byQps = ceil(needQps / qpsPerShard);
  const haNodes = input.kind === "MEMCACHED_TWEMPROXY" && input.highAvailability ? 2 : 1;
  const computedShards = Math.max(byMemory, byQps, haNodes);
  const limits = {
    unit,
    need: gb(needMb),
    max: gb(maxShardMb),
    maxSetting: maxShardSetting,
    byMemory,
    qps: num(needQps),
    qpsPer: num(qpsPerShard),
    qpsSetting,
    byQps,
  };
  const singleMaster = input.kind === "REDIS_STANDALONE" || input.kind === "REDIS_SENTINEL";
  if (singleMaster && computedShards > 1) {
    throw badInput(text("sizing.errors.singleMasterShards", { kind, shards: computedShards, limits: text("sizing.errors.limits", limits) }), {
      field: byMemory > 1 ? "capacityGb" : "peakQps",
    });
  }
  reasons.push(text(haNodes > Math.max(byMemory, byQps) ? "sizing.reasons.shardsHa" : "sizing.reasons.shards", { shards: computedShards, ...limits }));
  if (singleMaster && adjust.shards !== undefined && adjust.shards !== 1) {
    throw badInput(text("sizing.errors.singleMasterAdjust", { kind, shards: adjust.shards }), { field: "shards" });
  }
  const shards = adjusted(text("sizing.what.units", { unit }), computedShards, adjust.shards);

  const evenShare = roundUpTo(needMb / shards, s.memoryStepMb);
  const perShardMemoryMb = adjusted(
    text("sizing.what.memoryPerUnit", { unit }),
    Math.min(Math.floor(maxShardMb), Math.max(s.minShardMemoryMb, evenShare)),
    adjust.perShardMemoryMb,
  );
  if (perShardMemoryMb * shards < dataMb) {
    throw badInput(text("sizing.errors.tooLittleMemory", { shards, unit, mb: num(perShardMemoryMb), held: gb(perShardMemoryMb * shards), data: gb(dataMb) }), {
      field: adjust.perShardMemoryMb !== undefined ? "perShardMemoryMb" : "shards",
    });
  }
  const limit = { memcached: memcached ? "yes" : "no", unit, mb: num(perShardMemoryMb) };
  reasons.push(
    evenShare < s.minShardMemoryMb
      ? text("sizing.reasons.limitSmallest", limit)
      : text("sizing.reasons.limitShare", { ...limit, need: gb(needMb), shards, step: s.memoryStepMb }),
  );

  // Copies of each shard.
  let replicas = 1;
  if (memcached) {
    if (adjust.replicas !== undefined && adjust.replicas !== 1)
      throw badInput(text("sizing.errors.memcachedCopies", { replicas: adjust.replicas }), { field: "replicas" });
    reasons.push(text(proxied ? "sizing.reasons.memcachedCopyProxied" : "sizing.reasons.memcachedCopy"));
  } else {
    const byImportance = s.copiesByImportance[importance];
    const byHa = input.highAvailability || input.kind === "REDIS_SENTINEL" ? s.haCopies : 1;
    replicas = Math.max(byImportance, byHa);
    if (adjust.replicas !== undefined && adjust.replicas < byHa) {
      throw badInput(text("sizing.errors.haCopies", { kind, copies: byHa, replicas: adjust.replicas }), { field: "replicas" });
    }
    replicas = adjusted(text("sizing.what.copies"), replicas, adjust.replicas);
    if (input.kind === "REDIS_STANDALONE" && replicas > 1) {
      throw badInput(text("sizing.errors.standaloneCopies", { importance, copies: byImportance }), { field: "kind" });
    }
    const why =
      byImportance >= byHa
        ? text("sizing.reasons.whyImportance", { importance })
        : input.kind === "REDIS_SENTINEL"
          ? text("sizing.reasons.whySentinel")
          : text("sizing.reasons.whyHa");
    reasons.push(replicas === 1 ? text("sizing.reasons.oneCopy", { why }) : text("sizing.reasons.copies", { replicas, others: replicas - 1, why }));
  }

  // Entry point and failover.
  let proxies = 0;
  if (proxied) {
    const proxiesForQps = ceil(needQps / s.proxyQps);
    const spare = importance >= s.spareProxyFromImportance ? 1 : 0;
    proxies = adjusted(text("sizing.what.proxies"), Math.max(s.minProxies, proxiesForQps + spare), adjust.proxies);
    reasons.push(
      text("sizing.reasons.proxies", {
        proxies,
        qps: num(needQps),
        proxyQps: num(s.proxyQps),
        forQps: proxiesForQps,
        spare: spare ? text("sizing.reasons.spareProxy", { importance }) : "",
        min: proxies > proxiesForQps + spare ? text("sizing.reasons.minProxies", { min: s.minProxies }) : "",
      }),
    );
  } else if (adjust.proxies) {
    throw badInput(text("sizing.errors.noProxyTier", { kind }), { field: "proxies" });
  } else if (input.kind === "REDIS_STANDALONE" || (input.kind === "MEMCACHED" && shards === 1)) {
    reasons.push(text("sizing.reasons.direct"));
  } else if (input.kind === "MEMCACHED") {
    reasons.push(text("sizing.reasons.clientHashing", { shards }));
  }
  let sentinels = 0;
  let sentinelQuorum = 0;
  const sentinelsBeside = input.kind === "REDIS_TWEMPROXY" && replicas > 1 ? ("PROXY" as const) : undefined;
  if (input.kind === "REDIS_SENTINEL") {
    sentinels = s.sentinelsByImportance[importance];
    sentinelQuorum = Math.floor(sentinels / 2) + 1;
    reasons.push(text("sizing.reasons.sentinels", { sentinels, quorum: sentinelQuorum, importance, canLose: sentinels - sentinelQuorum }));
  } else if (sentinelsBeside) {
    sentinels = proxies;
    sentinelQuorum = Math.floor(sentinels / 2) + 1;
    reasons.push(
      text("sizing.reasons.sentinelsBeside", {
        sentinels,
        quorum: sentinelQuorum,
        downAfter: TWEMPROXY_SENTINEL_TIMINGS.downAfterMs / 1000,
        canLose: sentinels - sentinelQuorum,
      }),
    );
  }

  // Specs. A replica gets its master's spec: it becomes the master in a failover.
  const itemBytes = (input.capacityGb * GIB) / input.expectedKeys;
  const shardQps = needQps / shards;
  const writeShare = (100 - input.readRatio) / 100;
  const trafficMbps = (shardQps * itemBytes * 8 * (1 + writeShare * (replicas - 1))) / 1e6;
  const overhead = persistent ? s.persistentMemoryOverhead : s.memoryOverhead;
  const dataSpec: Spec = {
    cpuCores: memcached ? s.memcachedCpu : s.redisCpu,
    memoryMb: ceil(perShardMemoryMb * overhead),
    diskGb: s.logDiskGb + (persistent ? ceil((perShardMemoryMb / 1024) * s.persistenceDiskFactor) : 0),
    bandwidthMbps: roundUpTo(Math.max(trafficMbps, s.bandwidthStepMbps), s.bandwidthStepMbps),
  };
  const software = memcached ? "Memcached" : "Redis";
  const each = { software, memcached: limit.memcached, persistence: input.persistence };
  reasons.push(
    text(persistent ? "sizing.reasons.reserveMemoryPersistent" : "sizing.reasons.reserveMemory", {
      ...each,
      mb: num(dataSpec.memoryMb),
      overhead: num(overhead),
    }),
  );
  reasons.push(
    persistent
      ? text("sizing.reasons.diskPersistent", { ...each, gb: num(dataSpec.diskGb), factor: num(s.persistenceDiskFactor), logGb: s.logDiskGb })
      : text("sizing.reasons.disk", { software, gb: num(dataSpec.diskGb) }),
  );
  const bandwidth = {
    software,
    unit,
    mbps: num(dataSpec.bandwidthMbps),
    qps: num(ceil(shardQps)),
    itemBytes: num(Math.round(itemBytes)),
    step: s.bandwidthStepMbps,
  };
  reasons.push(
    replicas > 1
      ? text("sizing.reasons.bandwidthReplicas", { ...bandwidth, writePct: 100 - input.readRatio, others: replicas - 1 })
      : text("sizing.reasons.bandwidth", bandwidth),
  );

  const roles: RolePlan[] = [];
  if (memcached) {
    roles.push({ role: "CACHE", software: "MEMCACHED", count: shards, spec: dataSpec });
  } else {
    roles.push({ role: "MASTER", software: "REDIS", count: shards, spec: dataSpec });
    if (replicas > 1) {
      roles.push({ role: "REPLICA", software: "REDIS", count: shards * (replicas - 1), spec: dataSpec });
      reasons.push(text("sizing.reasons.replicaSpec"));
    }
  }
  if (sentinels > 0) {
    const spec = { cpuCores: s.sentinelCpu, memoryMb: s.sentinelMemoryMb, diskGb: s.logDiskGb, bandwidthMbps: s.bandwidthStepMbps };
    roles.push({ role: "SENTINEL", software: "REDIS_SENTINEL", count: sentinels, spec });
  }
  if (proxies > 0) {
    // A proxy receives each request from the client and sends it on to a shard: twice the traffic.
    const proxyMbps = (Math.min(needQps, s.proxyQps) * itemBytes * 8 * 2) / 1e6;
    const spec = {
      cpuCores: s.proxyCpu,
      memoryMb: s.proxyMemoryMb,
      diskGb: s.logDiskGb,
      bandwidthMbps: roundUpTo(Math.max(proxyMbps, s.bandwidthStepMbps), s.bandwidthStepMbps),
    };
    roles.push({ role: "PROXY", software: "TWEMPROXY", count: proxies, spec });
  }

  return {
    kind: input.kind,
    shards,
    perShardMemoryMb,
    replicas,
    sentinels,
    sentinelQuorum,
    ...(sentinelsBeside ? { sentinelsBeside } : {}),
    proxies,
    vip: proxied,
    roles,
    totals: totalsOf(roles),
    reasons,
  };
}

function totalsOf(roles: RolePlan[]): Plan["totals"] {
  const t = { instances: 0, cpuCores: 0, memoryMb: 0, diskGb: 0, bandwidthMbps: 0 };
  for (const r of roles) {
    t.instances += r.count;
    t.cpuCores += r.count * r.spec.cpuCores;
    t.memoryMb += r.count * r.spec.memoryMb;
    t.diskGb += r.count * r.spec.diskGb;
    t.bandwidthMbps += r.count * r.spec.bandwidthMbps;
  }
  t.cpuCores = Math.round(t.cpuCores * 100) / 100;
  return t;
}

function checkImportance(importance: number): Importance {
  if (!Number.isInteger(importance) || importance < 1 || importance > 5) {
    throw badInput(text("refusals.sizing.importance", { importance }));
  }
  return importance as Importance;
}

function checkHistory(h: ProductLineHistory): void {
  for (const [name, value] of Object.entries(h)) {
    if (!Number.isFinite(value) || value < 0) throw badInput(text("refusals.sizing.history", { name, value }));
  }
  if (h.growthPerYear === 0) throw badInput(text("refusals.sizing.growthZero"));
}
