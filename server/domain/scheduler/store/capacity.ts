import { text } from "../../../../lib/text";
import type { DbTx } from "../../../db/client";
import { badInput } from "../../errors";
import { parseLabelSelector } from "../../inventory/label-selector";
import { countInventory, countInventoryForSpecs, type ClusterSnapshot, type Constraints, type InventoryResult, type Spec } from "../index";
import { RESOURCES, UNIT_SCALE } from "../units";
import { snapshotCacheFor } from "./fleet";
import { loadSchedulerSettings } from "./settings";

export type CapacityQuery = {
  spec: Spec;
  idcIds: number[] | null;
  selector: string;
  importance: number;
  productLineId: number | null;
  departmentId: number | null;
  replicas: number;
  crossIdc: boolean;
  hostCap: { serviceId: number; maxPerHost: number } | null;
  /** only these hosts; absent: any */
  hostIds?: number[] | null;
};

/** An amount of each resource as the refusal quotes it (units are the same in every language). */
const RESOURCE_AMOUNT: Record<(typeof RESOURCES)[number], (n: number) => string> = {
  cpuCores: (n) => `${n} cores`,
  memoryMb: (n) => `${Math.round(n / 1024)} GB`,
  diskGb: (n) => `${n} GB`,
  bandwidthMbps: (n) => `${n} Mbps`,
};

/**
 * Refuses what cannot be a real question: a spec no host could ever hold, or a label key no host
 * carries (most often a typo). Zero and negative resources are refused by the input schema.
 */
export function assertAnswerable(s: ClusterSnapshot, q: CapacityQuery, keys: string[]) {
  RESOURCES.forEach((r, i) => {
    let largest = 0;
    for (let h = 0; h < s.size; h++) largest = Math.max(largest, s.capacity[i]![h]!);
    const want = q.spec[r] * UNIT_SCALE[i]!;
    if (s.size > 0 && want > largest) {
      const fmt = RESOURCE_AMOUNT[r];
      throw badInput(text("refusals.scheduler.specTooBig", { resource: r, asked: fmt(q.spec[r]), largest: fmt(largest / UNIT_SCALE[i]!) }));
    }
  });
  const unknown = keys.filter((k) => !s.labels.has(k));
  if (unknown.length) {
    const known = [...s.labels.keys()].sort().join(", ");
    throw badInput(text("refusals.scheduler.labelKey", { keys: unknown.map((k) => `"${k}"`).join(", "), known }));
  }
}

export function toConstraints(q: CapacityQuery): Constraints & { labelKeys: string[] } {
  const labelSelector = parseLabelSelector(q.selector);
  return {
    idcIds: q.idcIds,
    labelSelector,
    labelKeys: labelSelector.map((r) => r.key),
    importance: q.importance,
    // No product line: a new one, which no dedicated host carries yet.
    productLineId: q.productLineId ?? -1,
    departmentId: q.departmentId ?? -1,
    replicas: q.replicas,
    hostCap: q.hostCap,
    crossIdc: q.crossIdc,
    hostIds: q.hostIds ?? null,
  };
}

/** Resolves a product line's importance and department when one is named, so the form can't contradict it. */
export async function withProductLine<Q extends CapacityQuery>(db: DbTx, q: Q): Promise<Q> {
  if (!q.productLineId) return q;
  const pl = await db.productLine.findUnique({ where: { id: q.productLineId }, select: { importance: true, departmentId: true } });
  if (!pl) throw badInput(text("errors.domain.notFound.productLine", { id: q.productLineId }));
  return { ...q, importance: pl.importance, departmentId: pl.departmentId };
}

/** How many more instances fit, where, and why not elsewhere. */
export async function capacity(db: DbTx, cacheOwner: object, raw: CapacityQuery) {
  // Independent reads in one round on the pool: this answers as the DBA types.
  const [q, snapshot, settings, names] = await Promise.all([
    withProductLine(db, raw),
    snapshotCacheFor(cacheOwner).get(db),
    loadSchedulerSettings(db),
    placeNames(db),
  ]);
  const { labelKeys, ...constraints } = toConstraints(q);
  assertAnswerable(snapshot, q, labelKeys);
  const result = countInventory(snapshot, { ...constraints, spec: q.spec }, settings);
  return present(snapshot, result, q, names);
}

/** The same constraints for many specs at once (the spec table of the Capacity page, and the bench). */
export async function capacityForSpecs(db: DbTx, cacheOwner: object, raw: Omit<CapacityQuery, "spec">, specs: Spec[]) {
  const q = await withProductLine(db, { ...raw, spec: specs[0]! });
  const [snapshot, settings] = await Promise.all([snapshotCacheFor(cacheOwner).get(db), loadSchedulerSettings(db)]);
  const { labelKeys, ...constraints } = toConstraints(q);
  assertAnswerable(snapshot, { ...q, spec: { cpuCores: 0, memoryMb: 0, diskGb: 0, bandwidthMbps: 0 } }, labelKeys);
  return countInventoryForSpecs(snapshot, constraints, specs, settings).map((r) => ({
    spec: r.spec,
    instances: r.instances,
    shards: r.shards,
    summary: r.summary,
  }));
}

// The page lists the hosts with most room; the counts per IDC and rack carry the rest.
const TOP_HOSTS = 24;

/** Indexes of the k hosts taking the most copies (ties by host id), without sorting every host. */
function topHosts(s: ClusterSnapshot, perHost: Int32Array, k: number): number[] {
  const top: number[] = [];
  const better = (a: number, b: number) => perHost[a]! > perHost[b]! || (perHost[a] === perHost[b] && s.hostId[a]! < s.hostId[b]!);
  for (let h = 0; h < s.size; h++) {
    if (perHost[h]! <= 0 || (top.length === k && !better(h, top[k - 1]!))) continue;
    let i = Math.min(top.length, k - 1);
    top[i] = h;
    while (i > 0 && better(top[i]!, top[i - 1]!)) {
      [top[i], top[i - 1]] = [top[i - 1]!, top[i]!];
      i--;
    }
  }
  return top;
}

async function placeNames(db: DbTx) {
  const [idcs, racks] = await Promise.all([db.idc.findMany({ select: { id: true, code: true } }), db.rack.findMany({ select: { id: true, code: true } })]);
  return { idcCode: new Map(idcs.map((i) => [i.id, i.code])), rackCode: new Map(racks.map((x) => [x.id, x.code])) };
}

function present(s: ClusterSnapshot, r: InventoryResult, q: CapacityQuery, { idcCode, rackCode }: Awaited<ReturnType<typeof placeNames>>) {
  const hosts = topHosts(s, r.perHost, TOP_HOSTS).map((h) => ({
    hostId: s.hostId[h]!,
    ip: s.ip[h]!,
    rack: rackCode.get(s.rackIds[s.rackOf[h]!]!) ?? "?",
    idc: idcCode.get(s.idcIds[s.idcOf[h]!]!) ?? "?",
    instances: r.perHost[h]!,
  }));
  return {
    query: { importance: q.importance, departmentId: q.departmentId },
    instances: r.instances,
    shards: r.shards,
    replicas: r.replicas,
    antiAffinity: r.antiAffinity,
    hostsConsidered: r.hostsConsidered,
    hostsWithRoom: r.hostsWithRoom,
    summary: r.summary,
    rejections: r.rejections,
    perIdc: r.perIdc.map((x) => ({ ...x, idc: idcCode.get(x.idcId) ?? "?" })),
    perRack: r.perRack.filter((x) => x.instances > 0).map((x) => ({ ...x, rack: rackCode.get(x.rackId) ?? "?", idc: idcCode.get(x.idcId) ?? "?" })),
    topHosts: hosts,
    skippedHosts: s.skipped,
  };
}
