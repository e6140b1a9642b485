import { text } from "../../../lib/text";
import type { Software } from "../../../generated/prisma/enums";
import type { DbTx } from "../../db/client";
import { assignPorts } from "../scheduler/ports";
import { badInput, conflict } from "../errors";
import { listenersAt, type PortTarget } from "../executors/tcp";

export type ShardHosts = { hostId: number; ip: string }[];

async function usedPorts(db: DbTx, hostIds: number[]): Promise<Map<number, number[]>> {
  const claims = await db.portClaim.findMany({ where: { hostId: { in: hostIds } }, select: { hostId: true, port: true } });
  const used = new Map<number, number[]>(hostIds.map((h) => [h, []]));
  for (const c of claims) used.get(c.hostId)!.push(c.port);
  return used;
}

/** Finds, among (host, port) pairs about to be claimed, those where some process already listens. */
export type ListenerProbe = (targets: PortTarget[]) => Promise<PortTarget[]>;

/** A port the range would have given but a process Hedwig does not know listens on. */
export type SkippedPort = { ip: string; port: number };

type Range = { start: number; end: number; next: number };

/**
 * assignPorts, then a look at the hosts: a port where something else already listens is marked
 * used on that host and the shards are assigned again, until every port given is quiet. Each round
 * marks at least one more port, so it ends (at worst with the range's "no port free").
 */
async function assignQuietPorts(items: Parameters<typeof assignPorts>[0], used: Map<number, number[]>, range: Range, software: Software, probe: ListenerProbe) {
  const skipped: SkippedPort[] = [];
  for (;;) {
    const assignment = assignPorts(items, used, range, software);
    const targets = new Map<string, PortTarget>();
    for (const it of items) {
      const port = assignment.ports[it.shardIndex]!;
      targets.set(`${it.hostId}:${port}`, { hostId: it.hostId, ip: it.ip, port });
    }
    const busy = await probe([...targets.values()]);
    if (busy.length === 0) return { ...assignment, skipped };
    for (const b of busy) {
      used.get(b.hostId)!.push(b.port);
      skipped.push({ ip: b.ip, port: b.port });
    }
  }
}

/**
 * Takes the next ports of the software's range for each shard (one port shared by all of a shard's
 * hosts) and advances the range, skipping ports a foreign process listens on (named in `skipped`).
 * The range row stays locked until the caller's transaction ends, so concurrent reservations queue
 * here and each sees the claims the previous one committed; the caller then writes its PortClaim
 * rows in the same transaction (their key is the last guard).
 */
export async function reservePorts(
  tx: DbTx,
  software: Software,
  shards: ShardHosts[],
  probe: ListenerProbe = listenersAt,
): Promise<{ ports: number[]; skipped: SkippedPort[] }> {
  const [range] = await tx.$queryRaw<{ startPort: number; endPort: number; nextPort: number }[]>`
    SELECT "startPort", "endPort", "nextPort" FROM "PortRange" WHERE "software" = ${software}::"Software" FOR UPDATE`;
  if (!range) throw badInput(text("refusals.ports.noRange", { software }));
  const items = shards.flatMap((hosts, shardIndex) => hosts.map((h) => ({ ...h, shardIndex })));
  const used = await usedPorts(tx, [...new Set(items.map((i) => i.hostId))]);
  const { ports, next, skipped } = await assignQuietPorts(items, used, { start: range.startPort, end: range.endPort, next: range.nextPort }, software, probe);
  await tx.portRange.update({ where: { software }, data: { nextPort: next } });
  return { ports, skipped };
}

/** What the next reservation would give, without taking it (for forms that suggest a port). */
export async function previewPort(db: DbTx, software: Software, hosts: ShardHosts, probe: ListenerProbe = listenersAt): Promise<number> {
  const range = await db.portRange.findUnique({ where: { software } });
  if (!range) throw badInput(text("refusals.ports.noRange", { software }));
  const used = await usedPorts(
    db,
    hosts.map((h) => h.hostId),
  );
  const items = hosts.map((h) => ({ ...h, shardIndex: 0 }));
  return (await assignQuietPorts(items, used, { start: range.startPort, end: range.endPort, next: range.nextPort }, software, probe)).ports[0]!;
}

type Claim = { hostId: number; port: number; software: Software; instanceId?: number; allocationItemId?: number };

/** Refuses, naming the holder, when any of these (host, port) pairs is already claimed. */
export async function assertPortsFree(tx: DbTx, claims: Pick<Claim, "hostId" | "port">[]): Promise<void> {
  if (claims.length === 0) return;
  // One statement for any number of pairs (a placement claims thousands at once).
  const [clash] = await tx.$queryRaw<{ port: number; ip: string; instanceId: number | null; allocationId: string | null }[]>`
    SELECT c."port", h."ip", c."instanceId", a."allocationId"
    FROM "PortClaim" c JOIN "Host" h ON h."id" = c."hostId" LEFT JOIN "AllocationItem" a ON a."id" = c."allocationItemId"
    WHERE (c."hostId", c."port") IN (SELECT * FROM unnest(${claims.map((c) => c.hostId)}::int[], ${claims.map((c) => c.port)}::int[]))
    LIMIT 1`;
  if (clash) {
    const by = clash.instanceId ? "instance" : clash.allocationId ? "allocation" : "reservation";
    throw conflict(text("refusals.ports.taken", { port: clash.port, ip: clash.ip, by, id: clash.instanceId ?? clash.allocationId ?? "" }));
  }
}

/**
 * Writes claims (all of one software) in one statement, refusing first — naming the holder — any
 * pair already claimed. The key (host, port) stays the last guard: a pair claimed in between is
 * skipped by the insert, and the change is refused (the caller's transaction rolls back).
 */
export async function claimPorts(tx: DbTx, claims: Claim[]): Promise<void> {
  if (claims.length === 0) return;
  const software = claims[0]!.software;
  if (claims.some((c) => c.software !== software)) throw new Error("claimPorts takes the claims of one software at a time");
  await assertPortsFree(tx, claims);
  const inserted = await tx.$executeRaw`
    INSERT INTO "PortClaim" ("hostId", "port", "software", "instanceId", "allocationItemId")
    SELECT h, p, ${software}::"Software", i, a
    FROM unnest(${claims.map((c) => c.hostId)}::int[], ${claims.map((c) => c.port)}::int[],
                ${claims.map((c) => c.instanceId ?? null)}::int[], ${claims.map((c) => c.allocationItemId ?? null)}::int[]) AS t(h, p, i, a)
    ON CONFLICT DO NOTHING`;
  if (inserted < claims.length) throw conflict(text("refusals.ports.raced", { n: claims.length - inserted }));
}
