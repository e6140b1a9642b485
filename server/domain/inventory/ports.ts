import type { Software } from "../../../generated/prisma/enums";
import type { DbTx } from "../../db/client";
import { assignPorts } from "../scheduler/ports";
import { badInput, conflict } from "../errors";

export type ShardHosts = { hostId: number; ip: string }[];

async function usedPorts(db: DbTx, hostIds: number[]): Promise<Map<number, number[]>> {
  const claims = await db.portClaim.findMany({ where: { hostId: { in: hostIds } }, select: { hostId: true, port: true } });
  const used = new Map<number, number[]>(hostIds.map((h) => [h, []]));
  for (const c of claims) used.get(c.hostId)!.push(c.port);
  return used;
}

/**
 * Takes the next ports of the software's range for each shard (one port shared by all of a shard's
 * hosts) and advances the range. The range row stays locked until the caller's transaction ends,
 * so concurrent reservations queue here and each sees the claims the previous one committed; the
 * caller then writes its PortClaim rows in the same transaction (their key is the last guard).
 */
export async function reservePorts(tx: DbTx, software: Software, shards: ShardHosts[]): Promise<number[]> {
  const [range] = await tx.$queryRaw<{ startPort: number; endPort: number; nextPort: number }[]>`
    SELECT "startPort", "endPort", "nextPort" FROM "PortRange" WHERE "software" = ${software}::"Software" FOR UPDATE`;
  if (!range) throw badInput(`no port range is set for ${software}; set one under Catalog → Port ranges`);
  const items = shards.flatMap((hosts, shardIndex) => hosts.map((h) => ({ ...h, shardIndex })));
  const used = await usedPorts(tx, [...new Set(items.map((i) => i.hostId))]);
  const { ports, next } = assignPorts(items, used, { start: range.startPort, end: range.endPort, next: range.nextPort }, software);
  await tx.portRange.update({ where: { software }, data: { nextPort: next } });
  return ports;
}

/** What the next reservation would give, without taking it (for forms that suggest a port). */
export async function previewPort(db: DbTx, software: Software, hosts: ShardHosts): Promise<number> {
  const range = await db.portRange.findUnique({ where: { software } });
  if (!range) throw badInput(`no port range is set for ${software}; set one under Catalog → Port ranges`);
  const used = await usedPorts(db, hosts.map((h) => h.hostId));
  const items = hosts.map((h) => ({ ...h, shardIndex: 0 }));
  return assignPorts(items, used, { start: range.startPort, end: range.endPort, next: range.nextPort }, software).ports[0]!;
}

type Claim = { hostId: number; port: number; software: Software; instanceId?: number; allocationItemId?: number };

/** Refuses, naming the holder, when any of these (host, port) pairs is already claimed. */
export async function assertPortsFree(tx: DbTx, claims: Pick<Claim, "hostId" | "port">[]): Promise<void> {
  const clash = await tx.portClaim.findFirst({
    where: { OR: claims.map((c) => ({ hostId: c.hostId, port: c.port })) },
    include: { host: { select: { ip: true } }, instance: { select: { id: true } }, allocationItem: { select: { allocationId: true } } },
  });
  if (clash) {
    const by = clash.instance ? `instance ${clash.instance.id}` : clash.allocationItem ? `allocation ${clash.allocationItem.allocationId}` : "a reservation";
    throw conflict(`port ${clash.port} on ${clash.host.ip} is taken by ${by}`);
  }
}

/** Writes claims, turning a lost race into a message that names the holder. */
export async function claimPorts(tx: DbTx, claims: Claim[]): Promise<void> {
  await assertPortsFree(tx, claims);
  await tx.portClaim.createMany({ data: claims });
}
