import type { CheckedConstraints } from "./query";
import type { SchedulerSettings } from "./settings";
import { compileSelector, type ClusterSnapshot } from "./snapshot";
import { REJECTION_REASONS, USAGE_TIERS, type RejectionReason } from "./types";

/** A host's outcome as a byte: 0 = passed, otherwise 1 + the index in REJECTION_REASONS. */
const PASSED = 0;
const REASON_CODE = Object.fromEntries(REJECTION_REASONS.map((r, i) => [r, i + 1])) as Record<RejectionReason, number>;

const DEDICATED = USAGE_TIERS.indexOf("DEDICATED");
const MIXED_DEPARTMENT = USAGE_TIERS.indexOf("MIXED_DEPARTMENT");

export interface Screening {
  /** the hosts that passed, ascending; the per-spec work runs over these only */
  passed: Int32Array;
  /** hosts per reason code */
  rejected: Int32Array;
}

/**
 * The filters that do not depend on the spec, in order: status → IDC → label → isolation tier.
 * Computed once per set of constraints and shared by every spec evaluated against them.
 */
export function screenHosts(s: ClusterSnapshot, c: CheckedConstraints, settings: SchedulerSettings): Screening {
  // One pass per filter over the hosts still passing: tight, monomorphic loops beat one branchy
  // loop over all filters, and the first failing filter still names the host's reason.
  const n = s.size;
  const { idcOf, tier, productLineCount, soleProductLine, department } = s;
  // A status index is its reason code: REJECTION_REASONS starts with the other statuses in order,
  // then "unreachable" (an online host whose probe failed: buildSnapshot stores it as a status).
  const out = s.status.slice();

  if (c.idcIds) {
    const allowed = Uint8Array.from(s.idcIds, (id) => (c.idcIds!.has(id) ? 1 : 0));
    for (let h = 0; h < n; h++) if (out[h] === PASSED && !allowed[idcOf[h]!]) out[h] = REASON_CODE.idc;
  }

  for (const { column, accept } of compileSelector(s, c.labelSelector)) {
    for (let h = 0; h < n; h++) if (out[h] === PASSED && !accept[column[h]! + 1]) out[h] = REASON_CODE.label;
  }

  if (c.hostIds) {
    for (let h = 0; h < n; h++) if (out[h] === PASSED && !c.hostIds.has(s.hostId[h]!)) out[h] = REASON_CODE.notBeside;
  }

  // The last pass also counts reasons and lists the hosts that passed.
  const wantTier = USAGE_TIERS.indexOf(settings.tierByImportance[c.importance]);
  const { productLineId, departmentId } = c;
  const rejected = new Int32Array(REJECTION_REASONS.length + 1);
  const passed = new Int32Array(n);
  let count = 0;
  for (let h = 0; h < n; h++) {
    if (out[h] === PASSED) {
      const t = tier[h]!;
      if (t !== wantTier) out[h] = REASON_CODE.tierMismatch;
      else if (t === DEDICATED && (productLineCount[h]! > 1 || (productLineCount[h] === 1 && soleProductLine[h] !== productLineId))) {
        // a dedicated host may already carry the requester itself, nobody else
        out[h] = REASON_CODE.tierOtherProductLine;
      } else if (t === MIXED_DEPARTMENT && department[h] !== departmentId) out[h] = REASON_CODE.tierOtherDepartment;
      else passed[count++] = h;
    }
    rejected[out[h]!]!++;
  }
  rejected[PASSED] = 0;
  return { passed: passed.slice(0, count), rejected };
}

/** Instances of the capped service per host, dense so the per-spec loop reads an array. */
export function existingInstances(s: ClusterSnapshot, serviceId: number): Int32Array {
  const out = new Int32Array(s.size);
  const list = s.services.get(serviceId);
  if (list) list.hosts.forEach((h, i) => (out[h] = list.counts[i]!));
  return out;
}

export interface HostFit {
  /** copies each host can still take */
  room: Int32Array;
  /** hosts that passed screening */
  passed: Int32Array;
  /** hosts per reason code */
  rejected: Int32Array;
}

/**
 * How many copies of `spec` (whole units) each screened host can take: the least over the
 * reserved resources of floor(free / spec), then the measured free disk and bandwidth, then the
 * per-host cap. Checked in order cpu → memory → disk → bandwidth → measured disk → measured
 * bandwidth → cap, so a host gets its first failing reason.
 */
export function fitSpec(s: ClusterSnapshot, screening: Screening, spec: Float64Array, cap: { existing: Int32Array; maxPerHost: number } | null): HostFit {
  const room = new Int32Array(s.size);
  const rejected = screening.rejected.slice();
  const { passed } = screening;
  // Unrolled over the four dimensions: this loop is the hot path of every inventory call.
  const [q0, q1, q2, q3] = spec as unknown as [number, number, number, number];
  const [f0, f1, f2, f3] = s.free as [Float64Array, Float64Array, Float64Array, Float64Array];
  const [m2, m3] = s.measuredFree;
  const existing = cap?.existing;
  const maxPerHost = cap?.maxPerHost ?? 0;
  for (let i = 0; i < passed.length; i++) {
    const h = passed[i]!;
    let fit = Infinity;
    let why = PASSED;
    let k: number;
    if (q0 > 0 && (k = Math.floor(f0[h]! / q0)) < fit) {
      fit = k;
      why = REASON_CODE.cpu;
    }
    if (fit >= 1 && q1 > 0 && (k = Math.floor(f1[h]! / q1)) < fit) {
      fit = k;
      why = REASON_CODE.memory;
    }
    if (fit >= 1 && q2 > 0 && (k = Math.floor(f2[h]! / q2)) < fit) {
      fit = k;
      why = REASON_CODE.disk;
    }
    if (fit >= 1 && q3 > 0 && (k = Math.floor(f3[h]! / q3)) < fit) {
      fit = k;
      why = REASON_CODE.bandwidth;
    }
    if (fit >= 1 && q2 > 0 && (k = Math.floor(m2[h]! / q2)) < fit) {
      fit = k;
      why = REASON_CODE.diskMeasured;
    }
    if (fit >= 1 && q3 > 0 && (k = Math.floor(m3[h]! / q3)) < fit) {
      fit = k;
      why = REASON_CODE.bandwidthMeasured;
    }
    if (fit >= 1 && existing && (k = maxPerHost - existing[h]!) < fit) {
      fit = k;
      why = REASON_CODE.serviceCap;
    }
    if (fit >= 1) room[h] = fit;
    else rejected[why]!++;
  }
  return { room, passed, rejected };
}
