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

/** What every step of the sizing reads: the request, the settings, and the reasons the steps add. */
interface Sizing {
  input: SizingInput;
  s: SizingSettings;
  importance: Importance;
  memcached: boolean;
  proxied: boolean;
  persistent: boolean;
  unit: "node" | "shard";
  kind: Text;
  reasons: Text[];
  /** A DBA's figure replaces the computed one, and the plan says so beside the computation. */
  adjusted: (what: Text, computed: number, wanted: number | undefined) => number;
}

type Demand = { dataMb: number; needMb: number; needQps: number };

export function sizeRequest(
  input: SizingInput,
  productLine: { importance: number },
  history: ProductLineHistory | null,
  settings: SizingSettings = DEFAULT_SIZING_SETTINGS,
  adjust: PlanAdjustment = {},
): Plan {
  const importance = checkImportance(productLine.importance);
  if (history) checkHistory(history);
  const reasons: Text[] = [];
  const memcached = isMemcachedKind(input.kind);
  const z: Sizing = {
    input,
    s: settings,
    importance,
    memcached,
    proxied: isProxiedKind(input.kind),
    persistent: input.persistence !== "none",
    unit: memcached ? "node" : "shard",
    kind: text(`sizing.kinds.${input.kind}`),
    reasons,
    adjusted: (what, computed, wanted) => {
      if (wanted === undefined || wanted === computed) return computed;
      reasons.push(text("sizing.reasons.adjusted", { what, from: num(computed), to: num(wanted) }));
      return wanted;
    },
  };
  const demand = demandOf(z, history);
  const shards = shardsOf(z, demand, adjust);
  const perShardMemoryMb = memoryPerShard(z, demand, shards, adjust);
  const replicas = copiesOf(z, adjust);
  const proxies = proxiesOf(z, demand, shards, adjust);
  const sentinel = sentinelsOf(z, replicas, proxies);
  const dataSpec = dataSpecOf(z, demand, shards, perShardMemoryMb, replicas);
  const roles = rolesOf(z, { shards, replicas, sentinels: sentinel.sentinels, proxies }, dataSpec, demand.needQps);

  return {
    kind: input.kind,
    shards,
    perShardMemoryMb,
    replicas,
    sentinels: sentinel.sentinels,
    sentinelQuorum: sentinel.quorum,
    ...(sentinel.beside ? { sentinelsBeside: sentinel.beside } : {}),
    proxies,
    vip: z.proxied,
    roles,
    totals: totalsOf(roles),
    reasons,
  };
}

/** Demand: what was asked, or what monitoring says the product line will reach, plus headroom. */
function demandOf({ input, s, reasons }: Sizing, history: ProductLineHistory | null): Demand {
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
  return { dataMb, needMb, needQps };
}

const maxShardMbOf = ({ memcached, s }: Sizing) => (memcached ? s.memcachedMaxNodeMemoryGb : s.redisMaxShardMemoryGb) * 1024;

/** Shards: enough that neither memory nor QPS exceeds what one shard should carry. */
function shardsOf(z: Sizing, { needMb, needQps }: Demand, adjust: PlanAdjustment): number {
  const { input, s, memcached, unit, kind, reasons } = z;
  const maxShardMb = maxShardMbOf(z);
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
  return z.adjusted(text("sizing.what.units", { unit }), computedShards, adjust.shards);
}

/** Each shard's memory limit: an even share of the need in steps, never below the smallest nor above the largest shard. */
function memoryPerShard(z: Sizing, { dataMb, needMb }: Demand, shards: number, adjust: PlanAdjustment): number {
  const { s, unit, reasons } = z;
  const maxShardMb = maxShardMbOf(z);
  const evenShare = roundUpTo(needMb / shards, s.memoryStepMb);
  const perShardMemoryMb = z.adjusted(
    text("sizing.what.memoryPerUnit", { unit }),
    Math.min(Math.floor(maxShardMb), Math.max(s.minShardMemoryMb, evenShare)),
    adjust.perShardMemoryMb,
  );
  if (perShardMemoryMb * shards < dataMb) {
    throw badInput(text("sizing.errors.tooLittleMemory", { shards, unit, mb: num(perShardMemoryMb), held: gb(perShardMemoryMb * shards), data: gb(dataMb) }), {
      field: adjust.perShardMemoryMb !== undefined ? "perShardMemoryMb" : "shards",
    });
  }
  const limit = { memcached: memcachedFlag(z), unit, mb: num(perShardMemoryMb) };
  reasons.push(
    evenShare < s.minShardMemoryMb
      ? text("sizing.reasons.limitSmallest", limit)
      : text("sizing.reasons.limitShare", { ...limit, need: gb(needMb), shards, step: s.memoryStepMb }),
  );
  return perShardMemoryMb;
}

const memcachedFlag = (z: Sizing) => (z.memcached ? "yes" : "no");

/** Copies of each shard: by the product line's importance, at least two when it must survive a loss. */
function copiesOf(z: Sizing, adjust: PlanAdjustment): number {
  const { input, s, importance, kind, reasons } = z;
  if (z.memcached) {
    if (adjust.replicas !== undefined && adjust.replicas !== 1)
      throw badInput(text("sizing.errors.memcachedCopies", { replicas: adjust.replicas }), { field: "replicas" });
    reasons.push(text(z.proxied ? "sizing.reasons.memcachedCopyProxied" : "sizing.reasons.memcachedCopy"));
    return 1;
  }
  const byImportance = s.copiesByImportance[importance];
  const byHa = input.highAvailability || input.kind === "REDIS_SENTINEL" ? s.haCopies : 1;
  if (adjust.replicas !== undefined && adjust.replicas < byHa) {
    throw badInput(text("sizing.errors.haCopies", { kind, copies: byHa, replicas: adjust.replicas }), { field: "replicas" });
  }
  const replicas = z.adjusted(text("sizing.what.copies"), Math.max(byImportance, byHa), adjust.replicas);
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
  return replicas;
}

/** Entry point: Twemproxies behind a VIP, sized for the traffic with a spare for important lines, or clients that connect directly. */
function proxiesOf(z: Sizing, { needQps }: Demand, shards: number, adjust: PlanAdjustment): number {
  const { input, s, importance, kind, reasons } = z;
  if (z.proxied) {
    const proxiesForQps = ceil(needQps / s.proxyQps);
    const spare = importance >= s.spareProxyFromImportance ? 1 : 0;
    const proxies = z.adjusted(text("sizing.what.proxies"), Math.max(s.minProxies, proxiesForQps + spare), adjust.proxies);
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
    return proxies;
  }
  if (adjust.proxies) {
    throw badInput(text("sizing.errors.noProxyTier", { kind }), { field: "proxies" });
  } else if (input.kind === "REDIS_STANDALONE" || (input.kind === "MEMCACHED" && shards === 1)) {
    reasons.push(text("sizing.reasons.direct"));
  } else if (input.kind === "MEMCACHED") {
    reasons.push(text("sizing.reasons.clientHashing", { shards }));
  }
  return 0;
}

/** Failover: Sentinels of their own for a master/replica service, or one beside each proxy of Redis shards behind Twemproxy. */
function sentinelsOf({ input, s, importance, reasons }: Sizing, replicas: number, proxies: number) {
  const beside = input.kind === "REDIS_TWEMPROXY" && replicas > 1 ? ("PROXY" as const) : undefined;
  if (input.kind === "REDIS_SENTINEL") {
    const sentinels = s.sentinelsByImportance[importance];
    const quorum = Math.floor(sentinels / 2) + 1;
    reasons.push(text("sizing.reasons.sentinels", { sentinels, quorum, importance, canLose: sentinels - quorum }));
    return { sentinels, quorum, beside };
  }
  if (beside) {
    const sentinels = proxies;
    const quorum = Math.floor(sentinels / 2) + 1;
    reasons.push(
      text("sizing.reasons.sentinelsBeside", {
        sentinels,
        quorum,
        downAfter: TWEMPROXY_SENTINEL_TIMINGS.downAfterMs / 1000,
        canLose: sentinels - quorum,
      }),
    );
    return { sentinels, quorum, beside };
  }
  return { sentinels: 0, quorum: 0, beside };
}

/** The spec of a data instance. A replica gets its master's spec: it becomes the master in a failover. */
function dataSpecOf(z: Sizing, { needQps }: Demand, shards: number, perShardMemoryMb: number, replicas: number): Spec {
  const { input, s, memcached, persistent, unit, reasons } = z;
  const itemBytes = itemBytesOf(input);
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
  const each = { software, memcached: memcachedFlag(z), persistence: input.persistence };
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
  return dataSpec;
}

const itemBytesOf = (input: SizingInput) => (input.capacityGb * GIB) / input.expectedKeys;

/** The instances of each role with their specs: data instances, Sentinels, proxies. */
function rolesOf(z: Sizing, n: { shards: number; replicas: number; sentinels: number; proxies: number }, dataSpec: Spec, needQps: number): RolePlan[] {
  const { s, reasons } = z;
  const roles: RolePlan[] = [];
  if (z.memcached) {
    roles.push({ role: "CACHE", software: "MEMCACHED", count: n.shards, spec: dataSpec });
  } else {
    roles.push({ role: "MASTER", software: "REDIS", count: n.shards, spec: dataSpec });
    if (n.replicas > 1) {
      roles.push({ role: "REPLICA", software: "REDIS", count: n.shards * (n.replicas - 1), spec: dataSpec });
      reasons.push(text("sizing.reasons.replicaSpec"));
    }
  }
  if (n.sentinels > 0) {
    const spec = { cpuCores: s.sentinelCpu, memoryMb: s.sentinelMemoryMb, diskGb: s.logDiskGb, bandwidthMbps: s.bandwidthStepMbps };
    roles.push({ role: "SENTINEL", software: "REDIS_SENTINEL", count: n.sentinels, spec });
  }
  if (n.proxies > 0) {
    // A proxy receives each request from the client and sends it on to a shard: twice the traffic.
    const proxyMbps = (Math.min(needQps, s.proxyQps) * itemBytesOf(z.input) * 8 * 2) / 1e6;
    const spec = {
      cpuCores: s.proxyCpu,
      memoryMb: s.proxyMemoryMb,
      diskGb: s.logDiskGb,
      bandwidthMbps: roundUpTo(Math.max(proxyMbps, s.bandwidthStepMbps), s.bandwidthStepMbps),
    };
    roles.push({ role: "PROXY", software: "TWEMPROXY", count: n.proxies, spec });
  }
  return roles;
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
