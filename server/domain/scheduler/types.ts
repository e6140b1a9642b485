import type { Text } from "../../../lib/text";
import { HostStatus, UsageTier, type InstanceRole } from "../../../generated/prisma/enums";
import type { LabelRequirement } from "../inventory/label-selector";

/** Plain data the scheduler works on; the I/O layer loads it from the database. */

export type { HostStatus, InstanceRole, UsageTier };
export type Importance = 1 | 2 | 3 | 4 | 5;
export type Strategy = "spread" | "concentrate";

export const HOST_STATUSES: readonly HostStatus[] = Object.values(HostStatus);
export const USAGE_TIERS: readonly UsageTier[] = Object.values(UsageTier);

export interface Resources {
  cpuCores: number;
  memoryMb: number;
  diskGb: number;
  bandwidthMbps: number;
}

/** What one instance reserves. A dimension of 0 is not reserved and never limits. */
export type Spec = Resources;

export interface HostInput {
  id: number;
  ip: string;
  rackId: number;
  idcId: number;
  status: HostStatus;
  /** false when the host's last probe failed: nothing is placed there until it answers again */
  reachable?: boolean;
  tier: UsageTier;
  /** the department a MIXED_DEPARTMENT host serves */
  departmentId: number | null;
  labels: Record<string, string>;
  capacity: Resources;
  /** allocated or locked */
  used: Resources;
  /** product lines with an instance or a lock on the host */
  productLineIds: number[];
  /** serviceId → instances of that service on the host */
  serviceCounts: Record<number, number>;
  usedPorts: number[];
}

/** At most `maxPerHost` instances of one service on a host, existing ones included. */
export interface HostCap {
  serviceId: number;
  maxPerHost: number;
}

/** Who asks and where copies may go: everything that filters hosts or groups copies. */
export interface Constraints {
  /** null or absent: any IDC */
  idcIds?: readonly number[] | null;
  labelSelector?: readonly LabelRequirement[];
  /** of the requesting product line, 1–5 */
  importance: number;
  productLineId: number;
  departmentId: number;
  /** copies per shard, master included */
  replicas: number;
  hostCap?: HostCap | null;
  /** copies of a shard in different IDCs */
  crossIdc?: boolean;
  /** only these hosts (a Sentinel beside each proxy of its service); null or absent: any */
  hostIds?: readonly number[] | null;
}

export interface PlacementQuery extends Constraints {
  spec: Spec;
}

export interface PlacementRequest extends PlacementQuery {
  shards: number;
  strategy: Strategy;
  /** same-IDC preference (就近) */
  preferredIdcId?: number | null;
  /** every copy gets this role; by default copy 0 of a shard is MASTER and the others REPLICA */
  role?: InstanceRole;
}

/**
 * The order is the filter order: a host is counted under the first filter it fails. The status
 * reasons come first, in HOST_STATUSES order, so the filters read a status index as its reason.
 */
export const REJECTION_REASONS = [
  "maintenance",
  "offline",
  "locked",
  // after the statuses: an ONLINE host whose last probe failed (snapshot.ts stores it as a status)
  "unreachable",
  "idc",
  "label",
  "notBeside",
  "tierMismatch",
  "tierOtherProductLine",
  "tierOtherDepartment",
  "cpu",
  "memory",
  "disk",
  "bandwidth",
  "serviceCap",
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/** Which copies of a shard must not share: a host always, a rack or an IDC when required. */
export type AntiAffinityLevel = "host" | "rack" | "idc";

export interface InventoryResult {
  spec: Spec;
  replicas: number;
  antiAffinity: AntiAffinityLevel;
  /** copies that fit, however they group into shards */
  instances: number;
  /** complete shards of `replicas` copies that fit with anti-affinity honoured */
  shards: number;
  hostsConsidered: number;
  hostsWithRoom: number;
  /** hosts, racks or IDCs (per `antiAffinity`) with room for at least one copy */
  domainsWithRoom: number;
  /** every IDC of the snapshot; `shards` is null when copies must cross IDCs */
  perIdc: { idcId: number; instances: number; shards: number | null }[];
  /** every rack of the snapshot */
  perRack: { rackId: number; idcId: number; instances: number }[];
  /** copies per host, aligned with `snapshot.hostId` */
  perHost: Int32Array;
  /** hosts with no room, by reason, largest first */
  rejections: { reason: RejectionReason; hosts: number }[];
  /** e.g. "0/10000 hosts have room: 6012 insufficient memory, 312 label mismatch" */
  summary: Text;
}

export interface PlacedCopy {
  shardIndex: number;
  replicaIndex: number;
  role: InstanceRole;
  hostId: number;
  ip: string;
  rackId: number;
  idcId: number;
}

export interface PlacementPlan {
  shards: number;
  replicas: number;
  antiAffinity: AntiAffinityLevel;
  /** ordered by shard, then replica */
  items: PlacedCopy[];
}

/** A software's port range and its globally increasing cursor. */
export interface PortRange {
  start: number;
  end: number;
  next: number;
}
