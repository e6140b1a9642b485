import { CREDENTIAL_KINDS, generateServiceSecrets, memcachedHasNoAuth } from "../../domain/credentials/model";
import { sealSecrets } from "../../domain/credentials/store";
import type { InstanceRole, InstanceState, ServiceKind, Software } from "../../../generated/prisma/client";
import type { DbTx } from "../client";
import { chunks } from "./batch";
import { IDCS, type ProductLineDef } from "./catalog";
import type { HostPlan } from "./fleet";
import type { Rng } from "./prng";

export type Resources = { cpuCores: number; memoryMb: number; diskGb: number; bandwidthMbps: number };

export type InstancePlan = Resources & {
  /** index into the planned hosts */
  host: number;
  port: number;
  software: Software;
  role: InstanceRole;
  shardIndex: number | null;
  version: string;
  maxmemoryMb: number | null;
  state: InstanceState;
  master: InstancePlan | null;
};

export type ServicePlan = {
  name: string;
  productLine: string;
  kind: ServiceKind;
  description: string;
  adopted: boolean;
  /** the instance clients connect to: first proxy, first sentinel or the master */
  entry: InstancePlan | null;
  instances: InstancePlan[];
};

// Seeded hosts are filled to at most 80% of every resource, so the scheduler still has room to show.
const FILL = 0.8;

const redisNeed = (maxmemoryMb: number): Resources => ({
  cpuCores: maxmemoryMb >= 8192 ? 2 : 1,
  memoryMb: Math.round(maxmemoryMb * 1.2), // fork for RDB/AOF rewrite, fragmentation
  diskGb: Math.ceil((maxmemoryMb * 3) / 1024), // RDB + AOF + a rewrite in flight
  bandwidthMbps: maxmemoryMb >= 8192 ? 200 : 100,
});
const memcachedNeed = (maxmemoryMb: number): Resources => ({
  cpuCores: 1,
  memoryMb: Math.round(maxmemoryMb * 1.1),
  diskGb: 1,
  bandwidthMbps: 200,
});
const PROXY_NEED: Resources = { cpuCores: 1, memoryMb: 512, diskGb: 2, bandwidthMbps: 500 };
const SENTINEL_NEED: Resources = { cpuCores: 0.5, memoryMb: 256, diskGb: 1, bandwidthMbps: 10 };

const VERSION: Record<Software, string> = { REDIS: "7.0.15", REDIS_SENTINEL: "7.0.15", MEMCACHED: "1.6.18", TWEMPROXY: "0.5.0" };
const OLD_REDIS = "6.2.14";

type Slot = { index: number; host: HostPlan; free: Resources; owner: string | null };
type Pool = { productLine: ProductLineDef; idc: string };

/**
 * Host and port bookkeeping for the plan. Isolation follows the product line's importance:
 * 4–5★ on DEDICATED hosts that only that product line uses, 3★ on its department's
 * MIXED_DEPARTMENT hosts, the rest on MIXED hosts.
 */
class Placer {
  private readonly slots: Slot[];
  private readonly ports: Map<Software, { next: number; end: number }>;
  private readonly undo: (() => void)[] = [];

  constructor(hosts: readonly HostPlan[], ranges: readonly { software: Software; nextPort: number; endPort: number }[]) {
    this.slots = hosts.map((host, index) => ({
      index,
      host,
      owner: null,
      free: {
        cpuCores: host.cpuCores * FILL,
        memoryMb: Math.floor(host.memoryMb * FILL),
        diskGb: Math.floor(host.diskGb * FILL),
        bandwidthMbps: Math.floor(host.bandwidthMbps * FILL),
      },
    }));
    this.ports = new Map(ranges.map((r) => [r.software, { next: r.nextPort, end: r.endPort }]));
  }

  /** Runs `fn` as one unit: when it gives up (null), the hosts and ports it took are given back. */
  attempt<T>(fn: () => T | null): T | null {
    const mark = this.undo.length;
    const result = fn();
    if (result === null) while (this.undo.length > mark) this.undo.pop()!();
    return result;
  }

  /** Ports count up globally per software; all copies of a shard share one. */
  port(software: Software): number {
    const range = this.ports.get(software);
    if (!range) throw new Error(`no port range for ${software}`);
    if (range.next > range.end) throw new Error(`the ${software} port range is used up at ${range.end}`);
    this.undo.push(() => range.next--);
    return range.next++;
  }

  nextPorts(): { software: Software; nextPort: number }[] {
    return [...this.ports].map(([software, r]) => ({ software, nextPort: r.next }));
  }

  /**
   * One host per copy, never two copies on a host; copies on different racks, required for
   * 4–5★, preferred otherwise. Returns null when the pool cannot hold them all.
   */
  placeCopies(pool: Pool, needs: readonly Resources[]): Slot[] | null {
    const chosen: Slot[] = [];
    for (const need of needs) {
      const usedHosts = new Set(chosen.map((s) => s.index));
      const usedRacks = new Set(chosen.map((s) => s.host.rack));
      const slot =
        this.choose(pool, need, (s) => !usedHosts.has(s.index) && !usedRacks.has(s.host.rack)) ??
        (pool.productLine.importance >= 4 ? undefined : this.choose(pool, need, (s) => !usedHosts.has(s.index)));
      if (!slot) return null;
      this.reserve(slot, need, pool);
      chosen.push(slot);
    }
    return chosen;
  }

  private choose(pool: Pool, need: Resources, allowed: (s: Slot) => boolean): Slot | undefined {
    const { productLine, idc } = pool;
    const candidates = this.slots.filter((s) => {
      const h = s.host;
      if (h.idc !== idc || h.status === "OFFLINE" || !allowed(s) || !fits(s.free, need)) return false;
      if (productLine.importance >= 4) return h.tier === "DEDICATED" && (s.owner === null || s.owner === productLine.code);
      if (productLine.importance === 3) return h.tier === "MIXED_DEPARTMENT" && h.department === productLine.department;
      return h.tier === "MIXED";
    });
    // Fill the product line's own dedicated hosts before claiming another; otherwise spread by free memory.
    const rank = (s: Slot) => (s.owner === productLine.code ? 1 : 0);
    return candidates.sort((a, b) => rank(b) - rank(a) || b.free.memoryMb - a.free.memoryMb || a.index - b.index)[0];
  }

  private reserve(slot: Slot, need: Resources, pool: Pool) {
    const before = { free: { ...slot.free }, owner: slot.owner };
    slot.free = {
      cpuCores: slot.free.cpuCores - need.cpuCores,
      memoryMb: slot.free.memoryMb - need.memoryMb,
      diskGb: slot.free.diskGb - need.diskGb,
      bandwidthMbps: slot.free.bandwidthMbps - need.bandwidthMbps,
    };
    if (slot.host.tier === "DEDICATED") slot.owner = pool.productLine.code;
    this.undo.push(() => Object.assign(slot, before));
  }
}

const fits = (free: Resources, need: Resources) =>
  free.cpuCores >= need.cpuCores && free.memoryMb >= need.memoryMb && free.diskGb >= need.diskGb && free.bandwidthMbps >= need.bandwidthMbps;

const KINDS: readonly (readonly [ServiceKind, number])[] = [
  ["REDIS_STANDALONE", 28],
  ["REDIS_SENTINEL", 20],
  ["REDIS_TWEMPROXY", 22],
  ["MEMCACHED", 18],
  ["MEMCACHED_TWEMPROXY", 12],
];

const gb = (mb: number) => `${mb / 1024} GB`;

/** Builds one service's instances in `pool`; null when the pool is too full. */
function buildService(rng: Rng, placer: Placer, pool: Pool, kind: ServiceKind, redisVersion: string) {
  const stars = pool.productLine.importance;
  const instances: InstancePlan[] = [];
  const add = (slot: Slot, fields: Omit<InstancePlan, "host" | "state" | keyof Resources>, need: Resources) => {
    // Catalogued, not deployed: no process runs behind a demo instance, so Hedwig cannot say it runs.
    const instance: InstancePlan = { ...need, ...fields, host: slot.index, state: "UNKNOWN" };
    instances.push(instance);
    return instance;
  };

  /** A Redis shard: master and replicas on one port. */
  const redisShard = (shardIndex: number, copies: number, maxmemoryMb: number): InstancePlan | null => {
    const need = redisNeed(maxmemoryMb);
    const slots = placer.placeCopies(
      pool,
      Array.from({ length: copies }, () => need),
    );
    if (!slots) return null;
    const port = placer.port("REDIS");
    const [first, ...rest] = slots;
    const base = { port, software: "REDIS" as const, shardIndex, version: redisVersion, maxmemoryMb };
    const master = add(first!, { ...base, role: "MASTER", master: null }, need);
    for (const slot of rest) add(slot, { ...base, role: "REPLICA", master }, need);
    return master;
  };
  /** Sentinels or proxies: `count` members on distinct hosts sharing one port. */
  const memberSet = (software: "REDIS_SENTINEL" | "TWEMPROXY", count: number): InstancePlan | null => {
    const need = software === "TWEMPROXY" ? PROXY_NEED : SENTINEL_NEED;
    const slots = placer.placeCopies(
      pool,
      Array.from({ length: count }, () => need),
    );
    if (!slots) return null;
    const port = placer.port(software);
    const role = software === "TWEMPROXY" ? "PROXY" : "SENTINEL";
    const members = slots.map((slot) =>
      add(slot, { port, software, role, shardIndex: null, version: VERSION[software], maxmemoryMb: null, master: null }, need),
    );
    return members[0]!;
  };
  const memcachedNodes = (count: number, maxmemoryMb: number): boolean => {
    const need = memcachedNeed(maxmemoryMb);
    for (let shardIndex = 0; shardIndex < count; shardIndex++) {
      const [slot] = placer.placeCopies(pool, [need]) ?? [];
      if (!slot) return false;
      const base = { port: placer.port("MEMCACHED"), software: "MEMCACHED" as const, version: VERSION.MEMCACHED };
      add(slot, { ...base, role: "CACHE", shardIndex, maxmemoryMb, master: null }, need);
    }
    return true;
  };
  const done = (entry: InstancePlan | null, description: string) => ({ entry, description, instances });

  switch (kind) {
    case "REDIS_STANDALONE": {
      const maxmemoryMb = rng.pick([1024, 2048, 4096]);
      const master = redisShard(0, 2, maxmemoryMb);
      return master && done(master, `Redis master/replica, ${gb(maxmemoryMb)}`);
    }
    case "REDIS_SENTINEL": {
      const maxmemoryMb = rng.pick([2048, 4096, 8192]);
      const replicas = stars >= 4 ? 2 : 1;
      if (!redisShard(0, 1 + replicas, maxmemoryMb)) return null;
      const sentinel = memberSet("REDIS_SENTINEL", 3);
      return sentinel && done(sentinel, `Redis with Sentinel, ${replicas} replica(s), ${gb(maxmemoryMb)}`);
    }
    case "REDIS_TWEMPROXY": {
      const maxmemoryMb = rng.pick([2048, 4096, 6144, 8192]);
      const shards = rng.int(4, 10) + (stars >= 4 ? 4 : 0);
      for (let s = 0; s < shards; s++) if (!redisShard(s, 2, maxmemoryMb)) return null;
      const proxies = rng.int(2, 4);
      const proxy = memberSet("TWEMPROXY", proxies);
      return proxy && done(proxy, `Redis behind Twemproxy, ${shards} shards × ${gb(maxmemoryMb)}, ${proxies} proxies`);
    }
    case "MEMCACHED": {
      const maxmemoryMb = rng.pick([2048, 4096, 8192]);
      const nodes = rng.int(4, 10);
      return memcachedNodes(nodes, maxmemoryMb) ? done(null, `Memcached pool, ${nodes} nodes × ${gb(maxmemoryMb)}`) : null;
    }
    case "MEMCACHED_TWEMPROXY": {
      const maxmemoryMb = rng.pick([2048, 4096, 8192]);
      const nodes = rng.int(4, 8);
      if (!memcachedNodes(nodes, maxmemoryMb)) return null;
      const proxies = rng.int(2, 3);
      const proxy = memberSet("TWEMPROXY", proxies);
      return proxy && done(proxy, `Memcached behind Twemproxy, ${nodes} nodes × ${gb(maxmemoryMb)}, ${proxies} proxies`);
    }
  }
}

/**
 * Plans the demo services, most important product lines first so they get their dedicated hosts.
 * A product line keeps its services in its home IDC (most of them, below 4★); a service that fits
 * nowhere is left out.
 */
export function planServices(
  rng: Rng,
  hosts: readonly HostPlan[],
  productLines: readonly ProductLineDef[],
  ranges: readonly { software: Software; nextPort: number; endPort: number }[],
): { services: ServicePlan[]; nextPorts: { software: Software; nextPort: number }[] } {
  const placer = new Placer(hosts, ranges);
  const services: ServicePlan[] = [];
  const ordered = productLines.map((productLine, i) => ({ productLine, home: i % IDCS.length }));
  ordered.sort((a, b) => b.productLine.importance - a.productLine.importance);
  for (const { productLine, home } of ordered) {
    const numbers = { redis: 0, mc: 0 };
    const count = rng.int(3, 7) + productLine.importance;
    for (let n = 0; n < count; n++) {
      const kind = rng.weighted(KINDS);
      // Older services still run 6.2 and were imported from the fleet Hedwig took over.
      const adopted = rng.chance(0.12);
      const redisVersion = adopted ? OLD_REDIS : VERSION.REDIS;
      // Core product lines stay in their home IDC: their dedicated hosts are claimed per IDC.
      const first = productLine.importance >= 4 || rng.chance(0.75) ? home : rng.int(0, IDCS.length - 1);
      const idcs = IDCS.map((_, i) => IDCS[(first + i) % IDCS.length]!.code);
      for (const idc of idcs) {
        const built = placer.attempt(() => buildService(rng, placer, { productLine, idc }, kind, redisVersion));
        if (!built) continue;
        const family = kind.startsWith("MEMCACHED") ? "mc" : "redis";
        const name = `${productLine.code}-${family}-${String(++numbers[family]).padStart(2, "0")}`;
        services.push({ name, productLine: productLine.code, kind, adopted, ...built, description: `${productLine.name}: ${built.description}` });
        break;
      }
    }
  }
  return { services, nextPorts: placer.nextPorts() };
}

/** Inserts services, instances (masters first, so replicas can point at them) and their port claims. */
export async function insertServices(
  db: DbTx,
  services: readonly ServicePlan[],
  hosts: readonly { id: number; ip: string }[],
  productLineIds: Map<string, number>,
): Promise<{ services: number; instances: number }> {
  const serviceIds = new Map<string, number>();
  for (const part of chunks(services)) {
    const created = await db.service.createManyAndReturn({
      data: part.map((s) => ({
        name: s.name,
        productLineId: productLineIds.get(s.productLine)!,
        kind: s.kind,
        status: "ONLINE" as const,
        description: s.description,
        entryHost: s.entry ? hosts[s.entry.host]!.ip : null,
        entryPort: s.entry?.port ?? null,
        adopted: s.adopted,
        isDemo: true,
      })),
      select: { id: true, name: true },
    });
    for (const s of created) serviceIds.set(s.name, s.id);
  }

  // Catalogued like delivered ones: a Redis service Hedwig "delivered" has its users (sealed); an adopted one waits for its DBA to enter them.
  const withUsers = services.filter((s) => !s.adopted && !memcachedHasNoAuth(s.kind));
  for (const part of chunks(withUsers)) {
    await db.serviceCredential.createMany({
      data: part.flatMap((s) => {
        const sealed = sealSecrets(generateServiceSecrets(s.kind));
        return CREDENTIAL_KINDS.map((kind) => ({ serviceId: serviceIds.get(s.name)!, kind, ...sealed[kind] }));
      }),
    });
  }

  const all = services.flatMap((s) => s.instances.map((instance) => ({ serviceId: serviceIds.get(s.name)!, instance })));
  const key = (hostId: number, port: number) => `${hostId}:${port}`;
  const instanceIds = new Map<string, number>();
  for (const wave of [all.filter((x) => !x.instance.master), all.filter((x) => x.instance.master)]) {
    for (const part of chunks(wave)) {
      const created = await db.instance.createManyAndReturn({
        data: part.map(({ serviceId, instance: { host, master, ...fields } }) => ({
          ...fields,
          serviceId,
          hostId: hosts[host]!.id,
          masterId: master ? instanceIds.get(key(hosts[master.host]!.id, master.port))! : null,
          isDemo: true,
        })),
        select: { id: true, hostId: true, port: true },
      });
      for (const i of created) instanceIds.set(key(i.hostId, i.port), i.id);
    }
  }

  for (const part of chunks(all.map((x) => x.instance))) {
    await db.portClaim.createMany({
      data: part.map((i) => {
        const hostId = hosts[i.host]!.id;
        return { hostId, port: i.port, software: i.software, instanceId: instanceIds.get(key(hostId, i.port))! };
      }),
    });
  }
  return { services: serviceIds.size, instances: instanceIds.size };
}
