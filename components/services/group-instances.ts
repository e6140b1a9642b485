import type { InstanceRole } from "@/generated/prisma/enums";

const ROLE_ORDER: InstanceRole[] = ["MASTER", "REPLICA", "CACHE"];

type Groupable = { role: InstanceRole; shardIndex: number | null };

export type InstanceGroup<I> = { kind: "shard"; shard: number; instances: I[] } | { kind: "proxies" | "sentinels" | "unsharded"; instances: I[] };

/**
 * A service's instances as a reader thinks of them: each shard (master first, then its replicas),
 * then the proxies, the sentinels, and data instances catalogued without a shard. Keeps the input
 * order inside a group (the API sorts by shard, role, port).
 */
export function groupInstances<I extends Groupable>(instances: readonly I[]): InstanceGroup<I>[] {
  const shards = new Map<number, I[]>();
  const rest = { proxies: [] as I[], sentinels: [] as I[], unsharded: [] as I[] };
  for (const i of instances) {
    if (i.role === "PROXY") rest.proxies.push(i);
    else if (i.role === "SENTINEL") rest.sentinels.push(i);
    else if (i.shardIndex === null) rest.unsharded.push(i);
    else shards.set(i.shardIndex, [...(shards.get(i.shardIndex) ?? []), i]);
  }
  const byRole = (a: I, b: I) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role);
  return [
    ...[...shards.entries()].sort(([a], [b]) => a - b).map(([shard, list]) => ({ kind: "shard" as const, shard, instances: list.sort(byRole) })),
    ...(["proxies", "sentinels", "unsharded"] as const).filter((k) => rest[k].length > 0).map((kind) => ({ kind, instances: rest[kind] })),
  ];
}
