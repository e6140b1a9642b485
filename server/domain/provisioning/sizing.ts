import type { InstanceRole, ServiceKind, Software } from "../../../generated/prisma/enums";
import { badInput } from "../errors";
import type { Importance, Spec } from "../scheduler/types";
import { isMemcachedKind, isProxiedKind, KIND_LABELS, type RequestForm } from "./request-schema";
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
  reasons: string[];
}

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

/** ceil that ignores floating-point dust, so 12 GB asked against 12 GB shards stays one shard */
const ceil = (x: number) => Math.ceil(x - 1e-9);
const roundUpTo = (x: number, step: number) => ceil(x / step) * step;
const num = (n: number) => (Number.isInteger(n) ? n : Math.round(n * 10) / 10).toLocaleString("en-US");
/** one decimal, two below 1 GB so a small request does not read as its own rounding */
const gb = (mb: number) => (mb < 1024 ? `${Math.round((mb / 1024) * 100) / 100} GB` : `${num(mb / 1024)} GB`);
const plural = (n: number, one: string, many = `${one}s`) => `${num(n)} ${n === 1 ? one : many}`;

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
  const reasons: string[] = [];
  /** A DBA's figure replaces the computed one, and the plan says so beside the computation. */
  const adjusted = (what: string, computed: number, wanted: number | undefined) => {
    if (wanted === undefined || wanted === computed) return computed;
    reasons.push(`Adjusted by the DBA: ${what} ${num(computed)} → ${num(wanted)}.`);
    return wanted;
  };

  // Demand: what was asked, or what monitoring says the product line will reach, plus headroom.
  const askedMb = input.capacityGb * 1024 + (input.expectedKeys * s.bytesPerKey) / MIB;
  const askedWhy = `${gb(input.capacityGb * 1024)} asked + ${num(input.expectedKeys)} keys × ${s.bytesPerKey} bytes of per-key overhead (settings: bytesPerKey)`;
  const historyMb = history ? history.peakMemoryMb * history.growthPerYear : 0;
  const dataMb = Math.max(askedMb, historyMb);
  const needMb = dataMb * s.headroom;
  reasons.push(
    historyMb > askedMb
      ? `Memory: ${gb(needMb)} = the product line's monitored peak of ${gb(history!.peakMemoryMb)} × ${num(history!.growthPerYear)} growth per year (${gb(historyMb)}, above the ${gb(askedMb)} asked) × ${num(s.headroom)} headroom (settings: headroom).`
      : `Memory: ${gb(needMb)} = (${askedWhy}) × ${num(s.headroom)} headroom (settings: headroom).`,
  );
  const historyQps = history ? history.peakQps * history.growthPerYear : 0;
  const needQps = ceil(Math.max(input.peakQps, historyQps) * s.headroom);
  reasons.push(
    historyQps > input.peakQps
      ? `Traffic: ${num(needQps)} QPS = the product line's monitored peak of ${num(history!.peakQps)} QPS × ${num(history!.growthPerYear)} growth per year (above the ${num(input.peakQps)} QPS asked) × ${num(s.headroom)} headroom.`
      : `Traffic: ${num(needQps)} QPS = ${num(input.peakQps)} QPS asked × ${num(s.headroom)} headroom.`,
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
  const limits = `${gb(needMb)} at most ${gb(maxShardMb)} per ${unit} (settings: ${maxShardSetting}) needs ${byMemory}, and ${num(needQps)} QPS at ${num(qpsPerShard)} QPS per ${unit} (settings: ${qpsSetting}) needs ${byQps}`;
  const singleMaster = input.kind === "REDIS_STANDALONE" || input.kind === "REDIS_SENTINEL";
  if (singleMaster && computedShards > 1) {
    throw badInput(
      `${KIND_LABELS[input.kind]} has a single master, and this request needs ${computedShards} shards (${limits}): choose Redis shards behind Twemproxy, or lower the capacity or peak QPS`,
      { field: byMemory > 1 ? "capacityGb" : "peakQps" },
    );
  }
  reasons.push(
    `${plural(computedShards, unit)}: ${limits}` +
      (haNodes > Math.max(byMemory, byQps) ? `; high availability needs 2 nodes, so the proxies can eject a failed one while the other serves.` : "."),
  );
  if (singleMaster && adjust.shards !== undefined && adjust.shards !== 1) {
    throw badInput(`${KIND_LABELS[input.kind]} has a single master: it has 1 shard, not ${adjust.shards}`, { field: "shards" });
  }
  const shards = adjusted(`${unit}s`, computedShards, adjust.shards);

  const evenShare = roundUpTo(needMb / shards, s.memoryStepMb);
  const perShardMemoryMb = adjusted(`MB per ${unit}`, Math.min(Math.floor(maxShardMb), Math.max(s.minShardMemoryMb, evenShare)), adjust.perShardMemoryMb);
  if (perShardMemoryMb * shards < dataMb) {
    throw badInput(
      `${plural(shards, unit)} × ${num(perShardMemoryMb)} MB hold ${gb(perShardMemoryMb * shards)}, less than the ${gb(dataMb)} of data asked: raise the ${unit}s or the memory per ${unit}`,
      { field: adjust.perShardMemoryMb !== undefined ? "perShardMemoryMb" : "shards" },
    );
  }
  const limitName = memcached ? "memory limit (-m)" : "maxmemory";
  const limitTitle = memcached ? "Memory limit (-m)" : "maxmemory";
  reasons.push(
    evenShare < s.minShardMemoryMb
      ? `${limitTitle} ${num(perShardMemoryMb)} MB per ${unit}: the smallest ${unit} (settings: minShardMemoryMb).`
      : `${limitTitle} ${num(perShardMemoryMb)} MB per ${unit}: ${gb(needMb)} over ${plural(shards, unit)}, rounded up to ${s.memoryStepMb} MB (settings: memoryStepMb).`,
  );

  // Copies of each shard.
  let replicas = 1;
  if (memcached) {
    if (adjust.replicas !== undefined && adjust.replicas !== 1)
      throw badInput(`Memcached does not replicate: a node has 1 copy, not ${adjust.replicas}`, { field: "replicas" });
    reasons.push(`1 copy per node: Memcached does not replicate, so a lost node costs cache misses` + (proxied ? ` until the proxies eject it.` : `.`));
  } else {
    const byImportance = s.copiesByImportance[importance];
    const byHa = input.highAvailability || input.kind === "REDIS_SENTINEL" ? s.haCopies : 1;
    replicas = Math.max(byImportance, byHa);
    if (adjust.replicas !== undefined && adjust.replicas < byHa) {
      throw badInput(
        `${KIND_LABELS[input.kind]} needs ${byHa} copies per shard (a master and a replica to fail over to); ${adjust.replicas} cannot be approved`,
        { field: "replicas" },
      );
    }
    replicas = adjusted("copies per shard", replicas, adjust.replicas);
    if (input.kind === "REDIS_STANDALONE" && replicas > 1) {
      throw badInput(
        `a ${importance}★ product line keeps ${byImportance} copies of its Redis data (settings: copiesByImportance), and a standalone Redis has no replica: choose Redis master/replica with Sentinel, or Redis shards behind Twemproxy`,
        { field: "kind" },
      );
    }
    const why =
      byImportance >= byHa
        ? `the product line is ${importance}★ (settings: copiesByImportance)`
        : input.kind === "REDIS_SENTINEL"
          ? `master/replica needs a replica to fail over to (settings: haCopies)`
          : `high availability was asked (settings: haCopies)`;
    reasons.push(
      replicas === 1
        ? `1 copy per shard (no replica): ${why}.`
        : `${replicas} copies per shard (a master and ${plural(replicas - 1, "replica")}): ${why}; the scheduler keeps a shard's copies on different hosts (racks for important lines).`,
    );
  }

  // Entry point and failover.
  let proxies = 0;
  if (proxied) {
    const proxiesForQps = ceil(needQps / s.proxyQps);
    const spare = importance >= s.spareProxyFromImportance ? 1 : 0;
    proxies = adjusted("proxies", Math.max(s.minProxies, proxiesForQps + spare), adjust.proxies);
    reasons.push(
      `${plural(proxies, "proxy", "proxies")}: ${num(needQps)} QPS at ${num(s.proxyQps)} QPS per proxy (settings: proxyQps) needs ${proxiesForQps}` +
        (spare ? `, plus 1 spare so a ${importance}★ peak is carried with a proxy down (settings: spareProxyFromImportance)` : "") +
        (proxies > proxiesForQps + spare ? `; at least ${s.minProxies} so one can fail while another serves (settings: minProxies)` : "") +
        `. A VIP in front of them is the one address clients use.`,
    );
  } else if (adjust.proxies) {
    throw badInput(`${KIND_LABELS[input.kind]} has no proxy tier: proxies must stay 0`, { field: "proxies" });
  } else if (input.kind === "REDIS_STANDALONE" || (input.kind === "MEMCACHED" && shards === 1)) {
    reasons.push(`Clients connect to the instance directly.`);
  } else if (input.kind === "MEMCACHED") {
    reasons.push(`Clients spread keys over the ${shards} nodes themselves (consistent hashing in the client).`);
  }
  let sentinels = 0;
  let sentinelQuorum = 0;
  const sentinelsBeside = input.kind === "REDIS_TWEMPROXY" && replicas > 1 ? ("PROXY" as const) : undefined;
  if (input.kind === "REDIS_SENTINEL") {
    sentinels = s.sentinelsByImportance[importance];
    sentinelQuorum = Math.floor(sentinels / 2) + 1;
    reasons.push(
      `${sentinels} Sentinels with a quorum of ${sentinelQuorum} for a ${importance}★ product line (settings: sentinelsByImportance): a majority must agree the master is down, so ${plural(sentinels - sentinelQuorum, "Sentinel")} can be lost; clients ask the Sentinels where the master is.`,
    );
  } else if (sentinelsBeside) {
    sentinels = proxies;
    sentinelQuorum = Math.floor(sentinels / 2) + 1;
    const canLose = sentinels - sentinelQuorum;
    reasons.push(
      `${plural(sentinels, "Sentinel")} with a quorum of ${sentinelQuorum}, one on each proxy's host (as the Vipshop platform runs them): they watch every shard's master; when a majority agrees one is down for ${TWEMPROXY_SENTINEL_TIMINGS.downAfterMs / 1000} s they promote its replica, and each Sentinel rewrites its own proxy's server line for that shard (same name, so keys stay put) and restarts it, one proxy after the other — no one needs to be awake. ` +
        (canLose > 0
          ? `${plural(canLose, "Sentinel")} can be lost.`
          : `A failover needs all ${sentinels} Sentinels up; with a proxy host down, a DBA fails over from Hedwig.`),
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
  reasons.push(
    persistent
      ? `Each ${software} reserves ${num(dataSpec.memoryMb)} MB: ${limitName} × ${num(overhead)}, as the fork of an ${input.persistence.toUpperCase()} ${input.persistence === "aof" ? "rewrite" : "snapshot"} copies the pages written meanwhile (settings: persistentMemoryOverhead).`
      : `Each ${software} reserves ${num(dataSpec.memoryMb)} MB: ${limitName} × ${num(overhead)} for fragmentation and buffers (settings: memoryOverhead).`,
  );
  reasons.push(
    persistent
      ? `Each ${software} gets ${num(dataSpec.diskGb)} GB of disk: ${num(s.persistenceDiskFactor)} × ${limitName}, for a new ${input.persistence === "aof" ? "AOF" : "RDB file"} written beside the old one (settings: persistenceDiskFactor), + ${s.logDiskGb} GB for logs (settings: logDiskGb).`
      : `Each ${software} gets ${num(dataSpec.diskGb)} GB of disk, for logs only: nothing is persisted (settings: logDiskGb).`,
  );
  reasons.push(
    `Each ${software} reserves ${num(dataSpec.bandwidthMbps)} Mbps: ${num(ceil(shardQps))} QPS per ${unit} × ${num(Math.round(itemBytes))}-byte items (capacity / keys)` +
      (replicas > 1 ? ` + the ${100 - input.readRatio} % of writes streamed to ${plural(replicas - 1, "replica")}` : "") +
      `, rounded up to ${s.bandwidthStepMbps} Mbps (settings: bandwidthStepMbps).`,
  );

  const roles: RolePlan[] = [];
  if (memcached) {
    roles.push({ role: "CACHE", software: "MEMCACHED", count: shards, spec: dataSpec });
  } else {
    roles.push({ role: "MASTER", software: "REDIS", count: shards, spec: dataSpec });
    if (replicas > 1) {
      roles.push({ role: "REPLICA", software: "REDIS", count: shards * (replicas - 1), spec: dataSpec });
      reasons.push(`Replicas get the master's spec: one of them becomes the master in a failover.`);
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
    throw badInput(`the product line's importance ${importance} is not valid: set it to 1–5 stars on the product line`);
  }
  return importance as Importance;
}

function checkHistory(h: ProductLineHistory): void {
  for (const [name, value] of Object.entries(h)) {
    if (!Number.isFinite(value) || value < 0) throw badInput(`monitoring history ${name} = ${value} is not valid: it must be a number ≥ 0`);
  }
  if (h.growthPerYear === 0) throw badInput(`monitoring history growthPerYear = 0 is not valid: it is a factor, 1 for no growth`);
}
