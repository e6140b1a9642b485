import { text } from "../../../lib/text";
import { badInput } from "../errors";
import type { LabelRequirement } from "../inventory/label-selector";
import { RESOURCE_LIMITS } from "../bounds";
import { HOST_STATUSES, REJECTION_REASONS, USAGE_TIERS, type HostInput } from "./types";
import { RESOURCES, toUnits } from "./units";

/** The status byte of an online host whose probe failed: its reason code (1 + its index). */
const UNREACHABLE = REJECTION_REASONS.indexOf("unreachable") + 1;

/**
 * A host left out of the snapshot because its row cannot be true (a DBA's typo such as cpuCores
 * 1e308, an unknown status): reported, so one row never stops placement for the whole fleet.
 */
export interface SkippedHost {
  hostId: number;
  ip: string;
  /** a code the page translates, with the field and the figure */
  reason: "impossibleCapacity" | "impossibleUsage" | "unknownStatus" | "unknownTier";
  field: string;
  value: string;
}

/** Used beyond this many times the largest host is not an overcommit, it is a broken row. */
const USED_LIMIT_FACTOR = 100;

function impossibleFigures(h: HostInput): SkippedHost | null {
  const skip = (reason: SkippedHost["reason"], field: string, value: unknown): SkippedHost => ({ hostId: h.id, ip: h.ip, reason, field, value: String(value) });
  if (!HOST_STATUSES.includes(h.status)) return skip("unknownStatus", "status", h.status);
  if (!USAGE_TIERS.includes(h.tier)) return skip("unknownTier", "tier", h.tier);
  for (const name of RESOURCES) {
    const cap = h.capacity[name];
    const used = h.used[name];
    if (!Number.isFinite(cap) || cap < 0 || cap > RESOURCE_LIMITS[name]) return skip("impossibleCapacity", name, cap);
    if (!Number.isFinite(used) || used < 0 || used > RESOURCE_LIMITS[name] * USED_LIMIT_FACTOR) return skip("impossibleUsage", name, used);
  }
  return null;
}

/** Stands for "no department" in `department`; real ids are positive. */
export const NO_DEPARTMENT = -1;

interface LabelColumn {
  /** per host: index into `values`, or -1 when the host lacks the key */
  column: Int32Array;
  values: Map<string, number>;
}

/**
 * The fleet compiled once into parallel typed arrays (struct of arrays), so evaluating a spec is
 * a tight loop over numbers. Hosts are sorted by id: the order, and so every tie-break, does not
 * depend on how the caller loaded them. Read-only: placement works on copies.
 */
export interface ClusterSnapshot {
  readonly size: number;
  readonly hostId: Int32Array;
  readonly ip: readonly string[];
  readonly indexOf: ReadonlyMap<number, number>;
  /** host → index into rackIds / idcIds */
  readonly rackOf: Int32Array;
  readonly idcOf: Int32Array;
  /** host → itself, the domain map when copies only need distinct hosts */
  readonly selfOf: Int32Array;
  readonly rackIds: readonly number[];
  /** rack index → idc index */
  readonly rackIdc: Int32Array;
  readonly idcIds: readonly number[];
  /** index into HOST_STATUSES (or UNREACHABLE) / USAGE_TIERS */
  readonly status: Uint8Array;
  readonly tier: Uint8Array;
  readonly department: Int32Array;
  /** per resource (RESOURCES order), in whole units */
  readonly capacity: readonly Float64Array[];
  readonly used: readonly Float64Array[];
  /** capacity − used, negative when overcommitted */
  readonly free: readonly Float64Array[];
  /** distinct product lines on the host, and the one when there is exactly one */
  readonly productLineCount: Int32Array;
  readonly soleProductLine: Int32Array;
  /** serviceId → hosts carrying it and how many instances each */
  readonly services: ReadonlyMap<number, { hosts: Int32Array; counts: Int32Array }>;
  readonly labels: ReadonlyMap<string, LabelColumn>;
  readonly usedPorts: readonly (readonly number[])[];
  /** hosts left out because their figures cannot be true, for the pages to name */
  readonly skipped: readonly SkippedHost[];
}

function describe(h: HostInput): string {
  return `host ${h.id} (${h.ip})`;
}

export function buildSnapshot(input: readonly HostInput[]): ClusterSnapshot {
  const skipped: SkippedHost[] = [];
  const hosts = input
    .filter((h) => {
      const why = impossibleFigures(h);
      if (why) skipped.push(why);
      return !why;
    })
    .sort((a, b) => a.id - b.id);
  skipped.sort((a, b) => a.hostId - b.hostId);
  const n = hosts.length;
  const indexOf = new Map<number, number>();
  const rackIndex = new Map<number, number>();
  const idcIndex = new Map<number, number>();
  const labelKeys = new Map<string, LabelColumn>();
  const serviceLists = new Map<number, { hosts: number[]; counts: number[] }>();
  const s = {
    size: n,
    hostId: new Int32Array(n),
    ip: hosts.map((h) => h.ip),
    indexOf,
    rackOf: new Int32Array(n),
    idcOf: new Int32Array(n),
    selfOf: Int32Array.from({ length: n }, (_, i) => i),
    status: new Uint8Array(n),
    tier: new Uint8Array(n),
    department: new Int32Array(n),
    capacity: RESOURCES.map(() => new Float64Array(n)),
    used: RESOURCES.map(() => new Float64Array(n)),
    free: RESOURCES.map(() => new Float64Array(n)),
    productLineCount: new Int32Array(n),
    soleProductLine: new Int32Array(n),
    labels: labelKeys,
    usedPorts: hosts.map((h) => h.usedPorts),
    skipped,
  };

  // Racks and IDCs are indexed in id order for stable per-rack / per-IDC listings.
  const rackIds = [...new Set(hosts.map((h) => h.rackId))].sort((a, b) => a - b);
  const idcIds = [...new Set(hosts.map((h) => h.idcId))].sort((a, b) => a - b);
  rackIds.forEach((id, i) => rackIndex.set(id, i));
  idcIds.forEach((id, i) => idcIndex.set(id, i));
  const rackIdc = new Int32Array(rackIds.length).fill(-1);

  hosts.forEach((h, i) => {
    if (indexOf.has(h.id)) throw badInput(text("refusals.scheduler.hostTwice", { id: h.id }));
    indexOf.set(h.id, i);
    s.hostId[i] = h.id;
    const rack = rackIndex.get(h.rackId)!;
    const idc = idcIndex.get(h.idcId)!;
    if (rackIdc[rack] !== -1 && rackIdc[rack] !== idc) {
      throw badInput(text("refusals.scheduler.rackTwoIdcs", { rack: h.rackId, a: idcIds[rackIdc[rack]!]!, b: h.idcId, host: describe(h) }));
    }
    rackIdc[rack] = idc;
    s.rackOf[i] = rack;
    s.idcOf[i] = idc;
    // status, tier and figures were checked by impossibleFigures; an online host that stopped
    // answering is screened out like a status, with its own reason
    const status = HOST_STATUSES.indexOf(h.status);
    s.status[i] = status === 0 && h.reachable === false ? UNREACHABLE : status;
    s.tier[i] = USAGE_TIERS.indexOf(h.tier);
    s.department[i] = h.departmentId ?? NO_DEPARTMENT;
    RESOURCES.forEach((_, r) => {
      const cap = toUnits(h.capacity, r);
      const used = toUnits(h.used, r);
      s.capacity[r]![i] = cap;
      s.used[r]![i] = used;
      s.free[r]![i] = cap - used;
    });
    const lines = new Set(h.productLineIds);
    s.productLineCount[i] = lines.size;
    s.soleProductLine[i] = lines.size === 1 ? h.productLineIds[0]! : -1;
    for (const [key, value] of Object.entries(h.labels)) {
      let col = labelKeys.get(key);
      if (!col) labelKeys.set(key, (col = { column: new Int32Array(n).fill(-1), values: new Map() }));
      let v = col.values.get(value);
      if (v === undefined) col.values.set(value, (v = col.values.size));
      col.column[i] = v;
    }
    for (const [service, count] of Object.entries(h.serviceCounts)) {
      if (count <= 0) continue;
      let list = serviceLists.get(Number(service));
      if (!list) serviceLists.set(Number(service), (list = { hosts: [], counts: [] }));
      list.hosts.push(i);
      list.counts.push(count);
    }
  });

  const services = new Map<number, { hosts: Int32Array; counts: Int32Array }>();
  for (const [id, l] of serviceLists) services.set(id, { hosts: Int32Array.from(l.hosts), counts: Int32Array.from(l.counts) });
  return { ...s, rackIds, rackIdc, idcIds, services };
}

/**
 * Every requirement becomes a set of accepted value ids, read at `column[h] + 1` so that index 0
 * answers for hosts without the key: matching a host is two array reads. Same meaning as
 * `matchesLabels`.
 */
export interface CompiledRequirement {
  column: Int32Array;
  accept: Uint8Array;
}

export function compileSelector(s: ClusterSnapshot, reqs: readonly LabelRequirement[]): CompiledRequirement[] {
  return reqs.map((r) => {
    const col = s.labels.get(r.key);
    const values = col?.values ?? new Map<string, number>();
    const accept = new Uint8Array(values.size + 1);
    const set = (on: number, list?: readonly string[]) => {
      if (!list) accept.fill(on, 1);
      else for (const v of list) if (values.has(v)) accept[values.get(v)! + 1] = on;
    };
    switch (r.op) {
      case "eq":
        set(1, [r.value]);
        break;
      case "in":
        set(1, r.values);
        break;
      case "neq":
        accept[0] = 1;
        set(1);
        set(0, [r.value]);
        break;
      case "notin":
        accept[0] = 1;
        set(1);
        set(0, r.values);
        break;
      case "exists":
        set(1);
        break;
      case "notexists":
        accept[0] = 1;
        break;
    }
    // a key no host has: every host is "missing"
    return { column: col?.column ?? new Int32Array(s.size).fill(-1), accept };
  });
}

/** The used ports of the given hosts, for `assignPorts`. */
export function usedPortsOf(s: ClusterSnapshot, hostIds: Iterable<number>): Map<number, Set<number>> {
  const out = new Map<number, Set<number>>();
  for (const id of hostIds) {
    const i = s.indexOf.get(id);
    if (i === undefined) throw badInput(text("refusals.scheduler.notInSnapshot", { id }));
    out.set(id, new Set(s.usedPorts[i]));
  }
  return out;
}
