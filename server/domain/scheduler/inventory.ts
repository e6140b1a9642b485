import { joinTexts, text } from "../../../lib/text";
import { existingInstances, fitSpec, screenHosts, type HostFit } from "./filters";
import { checkConstraints, checkSpec, type CheckedConstraints } from "./query";
import { DEFAULT_SCHEDULER_SETTINGS, type SchedulerSettings } from "./settings";
import { domainsOf, maxShards } from "./shards";
import type { ClusterSnapshot } from "./snapshot";
import { REJECTION_REASONS, type Constraints, type InventoryResult, type PlacementQuery, type Spec } from "./types";

/** How many more copies of one spec fit under the constraints, where, and why not elsewhere. */
export function countInventory(s: ClusterSnapshot, query: PlacementQuery, settings: SchedulerSettings = DEFAULT_SCHEDULER_SETTINGS): InventoryResult {
  return countInventoryForSpecs(s, query, [query.spec], settings)[0]!;
}

/** The same for several specs under one set of constraints; the spec-free filters run once. */
export function countInventoryForSpecs(
  s: ClusterSnapshot,
  constraints: Constraints,
  specs: readonly Spec[],
  settings: SchedulerSettings = DEFAULT_SCHEDULER_SETTINGS,
): InventoryResult[] {
  const c = checkConstraints(constraints, settings);
  const units = specs.map(checkSpec);
  const screened = screenHosts(s, c, settings);
  const cap = hostCap(s, c);
  return specs.map((spec, i) => summarize(s, c, spec, fitSpec(s, screened, units[i]!, cap)));
}

const hostCap = (s: ClusterSnapshot, c: CheckedConstraints) =>
  c.hostCap ? { existing: existingInstances(s, c.hostCap.serviceId), maxPerHost: c.hostCap.maxPerHost } : null;

/** Fit and totals for one spec (`units` from checkSpec); placement starts from the inventory's figures. */
export function evaluateSpec(s: ClusterSnapshot, c: CheckedConstraints, spec: Spec, units: Float64Array, settings: SchedulerSettings) {
  const fit = fitSpec(s, screenHosts(s, c, settings), units, hostCap(s, c));
  return { fit, inventory: summarize(s, c, spec, fit) };
}

function summarize(s: ClusterSnapshot, c: CheckedConstraints, spec: Spec, { room, passed, rejected }: HostFit): InventoryResult {
  const domains = domainsOf(s, c.antiAffinity);
  // Room per domain with room, and the domain's IDC; hosts are their own domains at host level.
  const byDomain = c.antiAffinity === "host" ? null : new Float64Array(domains.count);
  const caps: number[] = [];
  const capIdc: number[] = [];
  const perRack = new Float64Array(s.rackIds.length);
  const perIdc = new Float64Array(s.idcIds.length);
  let instances = 0;
  let hostsWithRoom = 0;
  for (let i = 0; i < passed.length; i++) {
    const h = passed[i]!;
    const r = room[h]!;
    if (r === 0) continue;
    instances += r;
    hostsWithRoom++;
    perRack[s.rackOf[h]!]! += r;
    perIdc[s.idcOf[h]!]! += r;
    if (byDomain) byDomain[domains.of[h]!]! += r;
    else {
      caps.push(r);
      capIdc.push(s.idcOf[h]!);
    }
  }
  if (byDomain) {
    for (let d = 0; d < byDomain.length; d++) {
      if (!(byDomain[d]! > 0)) continue;
      caps.push(byDomain[d]!);
      capIdc.push(domains.idcOf(d));
    }
  }

  const shards = c.replicas === 1 ? instances : maxShards(caps, c.replicas);
  const shardsPerIdc = (idc: number): number | null => {
    if (c.antiAffinity === "idc") return null;
    if (c.replicas === 1) return perIdc[idc]!;
    return maxShards(
      caps.filter((_, i) => capIdc[i] === idc),
      c.replicas,
    );
  };

  const rejections = REJECTION_REASONS.map((reason, i) => ({ reason, hosts: rejected[i + 1]! }))
    .filter((r) => r.hosts > 0)
    .sort((a, b) => b.hosts - a.hosts); // stable: equal counts keep the filter order
  const why = rejections.map((r) => text("refusals.scheduler.rejected", { hosts: r.hosts, reason: text(`refusals.scheduler.reasons.${r.reason}`) }));
  return {
    spec,
    replicas: c.replicas,
    antiAffinity: c.antiAffinity,
    instances,
    shards,
    hostsConsidered: s.size,
    hostsWithRoom,
    domainsWithRoom: caps.length,
    perIdc: s.idcIds.map((idcId, i) => ({ idcId, instances: perIdc[i]!, shards: shardsPerIdc(i) })),
    perRack: s.rackIds.map((rackId, i) => ({ rackId, idcId: s.idcIds[s.rackIdc[i]!]!, instances: perRack[i]! })),
    perHost: room,
    rejections,
    summary: why.length
      ? text("refusals.scheduler.roomWhy", { withRoom: hostsWithRoom, considered: s.size, why: joinTexts(why, "comma") })
      : text("refusals.scheduler.room", { withRoom: hostsWithRoom, considered: s.size }),
  };
}
