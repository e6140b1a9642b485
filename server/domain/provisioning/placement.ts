import type { ProductLine, ResourceRequest } from "../../../generated/prisma/client";
import type { InstanceRole } from "../../../generated/prisma/enums";
import type { PlaceInput } from "../scheduler/store/allocations";
import type { RequestForm } from "./request-schema";
import type { Plan } from "./sizing";

/**
 * What to ask the scheduler for: the Redis shards as masters with their replicas (a shard's copies
 * apart, one port); Memcached nodes one by one; Sentinels and proxies each as one group of copies on
 * different hosts sharing one port. Sentinels that run beside the proxies come after them, placed
 * on the proxies' hosts (`beside`).
 */
export function placementGroups(plan: Plan) {
  const beside = (role: InstanceRole) => (role === "SENTINEL" && plan.sentinelsBeside ? plan.sentinelsBeside : undefined);
  return plan.roles
    .filter((r) => r.role !== "REPLICA")
    .map((r) =>
      r.role === "MASTER"
        ? { role: undefined, software: r.software, spec: r.spec, shards: plan.shards, replicas: plan.replicas, beside: undefined }
        : r.role === "CACHE"
          ? { role: r.role, software: r.software, spec: r.spec, shards: r.count, replicas: 1, beside: undefined }
          : { role: r.role, software: r.software, spec: r.spec, shards: 1, replicas: r.count, beside: beside(r.role) },
    )
    .sort((a, b) => Number(a.beside !== undefined) - Number(b.beside !== undefined));
}

export type PlacementGroup = ReturnType<typeof placementGroups>[number];

/** The hosts a group must run on: those of the role it runs beside, as placed by the earlier groups. */
export function hostsBeside(g: PlacementGroup, placedSoFar: { role: InstanceRole; hostId: number }[]): number[] | null {
  return g.beside ? placedSoFar.filter((p) => p.role === g.beside).map((p) => p.hostId) : null;
}

/** The scheduler query for one group of a request: the job locks with it, the approval preview dry-runs it. */
export function placeInputFor(
  request: Pick<ResourceRequest, "id" | "productLineId"> & { productLine: Pick<ProductLine, "importance" | "departmentId"> },
  form: RequestForm,
  g: PlacementGroup,
  owner: { ownerRef: string | null; dryRun: boolean },
  hostIds: number[] | null = null,
): PlaceInput {
  return {
    spec: g.spec,
    idcIds: form.idcPreference ? [form.idcPreference] : null,
    selector: "",
    importance: request.productLine.importance,
    productLineId: request.productLineId,
    departmentId: request.productLine.departmentId,
    replicas: g.replicas,
    crossIdc: false,
    hostCap: null,
    hostIds,
    shards: g.shards,
    strategy: "spread",
    preferredIdcId: form.idcPreference,
    software: g.software,
    purpose: `request #${request.id} ${(g.role ?? "redis").toLowerCase()}`,
    ownerRef: owner.ownerRef,
    serviceId: null,
    role: g.role,
    ttlSeconds: 1800,
    dryRun: owner.dryRun,
  };
}
