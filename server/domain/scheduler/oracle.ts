import { matchesLabels } from "../inventory/label-selector";
import { DEFAULT_SCHEDULER_SETTINGS, type SchedulerSettings } from "./settings";
import type { HostInput, PlacementQuery, RejectionReason, Resources } from "./types";

/**
 * Test oracle, imported by tests and the bench only: the slow, obvious count. It works on the
 * plain hosts, places one copy at a time on a mutable copy of the cluster until nothing more
 * fits, and forms shards greedily, each from the R domains with the most room left (taking the
 * largest domains first is optimal for equal-size groups of distinct domains).
 */
export interface OracleResult {
  instances: number;
  shards: number;
  perHost: Map<number, number>;
  perRack: Map<number, number>;
  perIdc: Map<number, { instances: number; shards: number | null }>;
  rejections: Map<RejectionReason, number>;
}

interface SimHost {
  host: HostInput;
  used: number[];
  capacity: number[];
  placed: number;
}

// Thousandths of a core, MB, GB, Mbps: the scheduler's whole units.
const units = (r: Resources) => [Math.round(r.cpuCores * 1000), Math.round(r.memoryMb), Math.round(r.diskGb), Math.round(r.bandwidthMbps)];
const RESOURCE_REASONS: RejectionReason[] = ["cpu", "memory", "disk", "bandwidth"];

export function oracleInventory(hosts: readonly HostInput[], q: PlacementQuery, settings: SchedulerSettings = DEFAULT_SCHEDULER_SETTINGS): OracleResult {
  const spec = units(q.spec);
  const level = q.crossIdc ? "idc" : q.importance >= settings.rackSpreadFromImportance ? "rack" : "host";
  const domainOf = (h: HostInput) => (level === "idc" ? h.idcId : level === "rack" ? h.rackId : h.id);

  const screen = (h: HostInput): RejectionReason | null => {
    if (h.status === "MAINTENANCE") return "maintenance";
    if (h.status === "OFFLINE") return "offline";
    if (h.status === "LOCKED") return "locked";
    if (q.idcIds && !q.idcIds.includes(h.idcId)) return "idc";
    if (!matchesLabels(q.labelSelector ?? [], h.labels)) return "label";
    if (h.tier !== settings.tierByImportance[q.importance as 1 | 2 | 3 | 4 | 5]) return "tierMismatch";
    if (h.tier === "DEDICATED" && h.productLineIds.some((p) => p !== q.productLineId)) return "tierOtherProductLine";
    if (h.tier === "MIXED_DEPARTMENT" && h.departmentId !== q.departmentId) return "tierOtherDepartment";
    return null;
  };
  const whyNotOneMore = (sim: SimHost): RejectionReason | null => {
    for (let r = 0; r < 4; r++) {
      if (spec[r]! > 0 && sim.used[r]! + spec[r]! > sim.capacity[r]!) return RESOURCE_REASONS[r]!;
    }
    const m = sim.host.measured;
    if (spec[2]! > 0 && m?.diskFreeGb != null && (sim.placed + 1) * spec[2]! > Math.floor(m.diskFreeGb)) return "diskMeasured";
    if (spec[3]! > 0 && m?.bandwidthFreeMbps != null && (sim.placed + 1) * spec[3]! > Math.floor(m.bandwidthFreeMbps)) return "bandwidthMeasured";
    const cap = q.hostCap;
    if (cap && (sim.host.serviceCounts[cap.serviceId] ?? 0) + sim.placed >= cap.maxPerHost) return "serviceCap";
    return null;
  };
  const placeOne = (sim: SimHost) => {
    for (let r = 0; r < 4; r++) sim.used[r]! += spec[r]!;
    sim.placed++;
  };
  const fresh = (h: HostInput): SimHost => ({ host: h, used: units(h.used), capacity: units(h.capacity), placed: 0 });
  const roomLeft = (sim: SimHost) => {
    const probe = { ...sim, used: [...sim.used] };
    let n = 0;
    while (whyNotOneMore(probe) === null) {
      placeOne(probe);
      n++;
    }
    return n;
  };

  const result: OracleResult = { instances: 0, shards: 0, perHost: new Map(), perRack: new Map(), perIdc: new Map(), rejections: new Map() };
  const eligible: HostInput[] = [];
  for (const h of hosts) {
    const sim = fresh(h);
    const why = screen(h) ?? whyNotOneMore(sim);
    if (why) result.rejections.set(why, (result.rejections.get(why) ?? 0) + 1);
    else eligible.push(h);
    while (why === null && whyNotOneMore(sim) === null) placeOne(sim);
    result.perHost.set(h.id, sim.placed);
    result.perRack.set(h.rackId, (result.perRack.get(h.rackId) ?? 0) + sim.placed);
    const idc = result.perIdc.get(h.idcId) ?? { instances: 0, shards: null };
    idc.instances += sim.placed;
    result.perIdc.set(h.idcId, idc);
    result.instances += sim.placed;
  }

  const greedyShards = (pool: HostInput[]): number => {
    const domains = new Map<number, { sims: SimHost[]; rooms: number[]; room: number }>();
    for (const h of pool) {
      const sim = fresh(h);
      const d = domains.get(domainOf(h)) ?? { sims: [], rooms: [], room: 0 };
      d.sims.push(sim);
      d.rooms.push(roomLeft(sim));
      d.room += d.rooms[d.rooms.length - 1]!;
      domains.set(domainOf(h), d);
    }
    const keys = [...domains.keys()].sort((a, b) => a - b);
    let shards = 0;
    for (;;) {
      const picked: number[] = [];
      for (let j = 0; j < q.replicas; j++) {
        let best: number | null = null;
        for (const k of keys) {
          if (picked.includes(k) || domains.get(k)!.room === 0) continue;
          if (best === null || domains.get(k)!.room > domains.get(best)!.room) best = k;
        }
        if (best === null) return shards;
        picked.push(best);
      }
      for (const k of picked) {
        const d = domains.get(k)!;
        const i = d.rooms.findIndex((r) => r > 0);
        placeOne(d.sims[i]!);
        const left = roomLeft(d.sims[i]!);
        d.room += left - d.rooms[i]!;
        d.rooms[i] = left;
      }
      shards++;
    }
  };
  result.shards = greedyShards(eligible);
  if (level !== "idc") {
    for (const [idcId, idc] of result.perIdc) idc.shards = greedyShards(eligible.filter((h) => h.idcId === idcId));
  }
  return result;
}
