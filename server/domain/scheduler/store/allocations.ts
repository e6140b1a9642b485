import { text, type Text } from "../../../../lib/text";
import type { Software } from "../../../../generated/prisma/enums";
import type { Db, DbTx } from "../../../db/client";
import type { Actor } from "../../access/actor";
import { can } from "../../../../lib/roles";
import { recordAudit } from "../../audit/record";
import { badInput, conflict, forbidden, notFound } from "../../errors";
import { claimPorts, reservePorts, type SkippedPort } from "../../inventory/ports";
import { placeShards, withPlacement, type PlacementRequest, type PlacedCopy, type SkippedHost } from "../index";
import { assertAnswerable, toConstraints, withProductLine, type CapacityQuery } from "./capacity";

import { fleetVersion, snapshotCacheFor } from "./fleet";
import { loadSchedulerSettings } from "./settings";

export type PlaceInput = Omit<CapacityQuery, "productLineId"> & {
  productLineId: number;
  shards: number;
  strategy: PlacementRequest["strategy"];
  preferredIdcId: number | null;
  software: Software;
  purpose: string;
  /** the request or job asking, so a retry finds its own lock */
  ownerRef?: string | null;
  /** every copy's role (Sentinels, proxies, Memcached nodes); by default copy 0 is MASTER, the rest REPLICA */
  role?: PlacementRequest["role"];
  serviceId?: number | null;
  ttlSeconds: number;
  dryRun: boolean;
};

export type PlacedItem = PlacedCopy & { port: number; rack: string; idc: string };
export type PlaceResult = {
  allocationId: string | null;
  expiresAt: Date | null;
  dryRun: boolean;
  items: PlacedItem[];
  /** what was placed, for the page */
  summary: Text;
  /** ports the range would have given but another process already listens on, so they were passed */
  skippedPorts: SkippedPort[];
  /** hosts left out because their figures cannot be true */
  skippedHosts: readonly SkippedHost[];
};

// Placements are serialized: each one sees every earlier lock, so no host or port is ever promised twice.
const SCHEDULER_LOCK = 0x4845_4457; // "HEDW"

/**
 * Marks locks past their expiry as EXPIRED and frees their ports (their resources are free already:
 * usage ignores expired locks). Its own transaction, and only when something expired: a write moves
 * the fleet version, and a placement must read a committed version to cache what it loads.
 */
export async function expireLocks(db: Db): Promise<number> {
  const [due] = await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM "Allocation" WHERE "status" = 'LOCKED' AND "expiresAt" <= now()`;
  if (!due || due.n === 0n) return 0;
  return db.$transaction(async (tx) => {
    const expired = await tx.$queryRaw<{ id: string }[]>`
      UPDATE "Allocation" SET "status" = 'EXPIRED', "releasedAt" = now()
      WHERE "status" = 'LOCKED' AND "expiresAt" <= now() RETURNING "id"`;
    await tx.portClaim.deleteMany({ where: { allocationItem: { allocationId: { in: expired.map((e) => e.id) } }, instanceId: null } });
    await recordAudit(tx, null, {
      action: "allocation.expire",
      entityType: "Allocation",
      summary: `${expired.length} lock(s) expired`,
      after: expired.map((e) => e.id),
    });
    return expired.length;
  });
}

class DryRunRollback extends Error {
  constructor(readonly result: PlaceResult) {
    super("dry run");
  }
}

/**
 * Places shards × replicas, reserves their ports and locks both until `ttlSeconds` from now.
 * A dry run runs exactly the same steps and rolls the transaction back, so it answers what the
 * real call would on the same state — ports included.
 */
export async function place(db: Db, actor: Actor, input: PlaceInput): Promise<PlaceResult> {
  if (input.ttlSeconds < 10 || input.ttlSeconds > 7 * 24 * 3600) throw badInput(text("refusals.scheduler.lockTtl"));
  const resolved = await withProductLine(db, input);
  const { labelKeys, ...constraints } = toConstraints(resolved);
  const request: PlacementRequest = {
    ...constraints,
    spec: input.spec,
    shards: input.shards,
    strategy: input.strategy,
    preferredIdcId: input.preferredIdcId,
    role: input.role,
  };
  if (input.serviceId) {
    const svc = await db.service.findUnique({ where: { id: input.serviceId }, select: { productLineId: true, name: true } });
    if (!svc) throw badInput(text("errors.domain.notFound.service", { id: input.serviceId }));
    if (svc.productLineId !== input.productLineId) throw badInput(text("refusals.scheduler.otherLine", { service: svc.name }));
  }
  await expireLocks(db);
  const cache = snapshotCacheFor(db);
  try {
    const committed = await db.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SCHEDULER_LOCK})`;
        // Holding the version row: no other write lands between this read and our commit, so the
        // snapshot plus this placement is exactly the state after it. Nothing is written before the
        // snapshot is read, so what it caches is committed state.
        await tx.$queryRaw`SELECT "version" FROM "FleetVersion" WHERE "id" = 1 FOR UPDATE`;
        const snapshot = await cache.get(tx);
        const settings = await loadSchedulerSettings(tx);
        assertAnswerable(snapshot, resolved, labelKeys);
        const plan = placeShards(snapshot, request, settings);
        const shards: { hostId: number; ip: string }[][] = [];
        for (const it of plan.items) (shards[it.shardIndex] ??= []).push({ hostId: it.hostId, ip: it.ip });
        const { ports, skipped: skippedPorts } = await reservePorts(tx, input.software, shards);
        const names = await rackAndIdcNames(tx, plan.items);
        const items: PlacedItem[] = plan.items.map((it) => ({ ...it, port: ports[it.shardIndex]!, ...names(it) }));
        const hosts = new Set(items.map((i) => i.hostId)).size;
        const summary = `${plan.shards} shard(s) × ${plan.replicas} on ${hosts} host(s), copies apart by ${plan.antiAffinity}`;
        const said = text("refusals.scheduler.placed", { shards: plan.shards, replicas: plan.replicas, hosts, level: plan.antiAffinity });
        if (input.dryRun)
          throw new DryRunRollback({ allocationId: null, expiresAt: null, dryRun: true, items, summary: said, skippedPorts, skippedHosts: snapshot.skipped });

        const expiresAt = new Date(Date.now() + input.ttlSeconds * 1000);
        const allocation = await tx.allocation.create({
          data: {
            purpose: input.purpose,
            software: input.software,
            holderId: actor.id,
            ownerRef: input.ownerRef ?? null,
            productLineId: input.productLineId,
            serviceId: input.serviceId ?? null,
            expiresAt,
          },
        });
        // One statement for the items, one for their claims: a placement writes thousands of rows.
        const created = await tx.$queryRaw<{ id: number; hostId: number; port: number }[]>`
          INSERT INTO "AllocationItem" ("allocationId", "hostId", "port", "shardIndex", "replicaIndex", "role", "cpuCores", "memoryMb", "diskGb", "bandwidthMbps")
          SELECT ${allocation.id}, h, p, s, r, role::"InstanceRole", ${input.spec.cpuCores}, ${input.spec.memoryMb}, ${input.spec.diskGb}, ${input.spec.bandwidthMbps}
          FROM unnest(${items.map((i) => i.hostId)}::int[], ${items.map((i) => i.port)}::int[], ${items.map((i) => i.shardIndex)}::int[],
                      ${items.map((i) => i.replicaIndex)}::int[], ${items.map((i) => i.role)}::text[]) AS t(h, p, s, r, role)
          RETURNING "id", "hostId", "port"`;
        await claimPorts(
          tx,
          created.map((c) => ({ hostId: c.hostId, port: c.port, software: input.software, allocationItemId: c.id })),
        );
        await recordAudit(tx, actor, {
          action: "allocation.lock",
          entityType: "Allocation",
          entityId: allocation.id,
          summary: `locked ${summary} for "${input.purpose}" until ${expiresAt.toISOString()}`,
          after: { ...allocation, items: items.length },
        });
        const staleAt = Math.min(cache.current()?.staleAt ?? Number.POSITIVE_INFINITY, expiresAt.getTime());
        const next = {
          version: await fleetVersion(tx),
          snapshot: withPlacement(snapshot, created, input.spec, input.productLineId, input.serviceId ?? null),
          staleAt,
        };
        return {
          result: {
            allocationId: allocation.id,
            expiresAt,
            dryRun: false,
            items,
            summary: said,
            skippedPorts,
            skippedHosts: snapshot.skipped,
          } satisfies PlaceResult,
          next,
        };
      },
      { timeout: 60_000, maxWait: 60_000 },
    );
    cache.keep(committed.next); // only now: the transaction has committed
    return committed.result;
  } catch (e) {
    if (e instanceof DryRunRollback) return e.result;
    throw e;
  }
}

async function rackAndIdcNames(tx: DbTx, items: PlacedCopy[]) {
  const racks = await tx.rack.findMany({
    where: { id: { in: [...new Set(items.map((i) => i.rackId))] } },
    select: { id: true, code: true, idc: { select: { code: true } } },
  });
  const byId = new Map(racks.map((r) => [r.id, r]));
  return (it: PlacedCopy) => ({ rack: byId.get(it.rackId)?.code ?? "?", idc: byId.get(it.rackId)?.idc.code ?? "?" });
}

async function loadForChange(tx: DbTx, actor: Actor, id: string, verb: "commit" | "release") {
  const [a] = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "Allocation" WHERE "id" = ${id} FOR UPDATE`;
  if (!a) throw notFound(text("refusals.scheduler.allocationGone", { id }));
  const allocation = await tx.allocation.findUniqueOrThrow({
    where: { id },
    include: { holder: { select: { username: true } }, items: { select: { hostId: true, port: true, host: { select: { ip: true } } } } },
  });
  const holding = `${allocation.items.length} instance(s) on ${[...new Set(allocation.items.map((i) => `${i.host.ip}:${i.port}`))].slice(0, 4).join(", ")}${allocation.items.length > 4 ? ", …" : ""}`;
  const holder = allocation.holder?.username ?? "system";
  if (allocation.holderId !== actor.id && !can(actor.role, "administer")) {
    throw forbidden(text("refusals.scheduler.notHolder", { id, holder, purpose: allocation.purpose, holding, verb }));
  }
  return { allocation, holding, holder };
}

/** Turns a live lock into an allocation: its resources and ports stay taken until released. */
export async function commitAllocation(db: Db, actor: Actor, id: string) {
  const result = await db.$transaction(async (tx) => {
    const { allocation, holding } = await loadForChange(tx, actor, id, "commit");
    if (allocation.status === "COMMITTED") return { after: allocation, from: 0n, to: 0n };
    if (allocation.status !== "LOCKED" || allocation.expiresAt <= new Date()) {
      const expired = allocation.status === "LOCKED" || allocation.status === "EXPIRED";
      throw conflict(
        text(expired ? "refusals.scheduler.allocationExpired" : "refusals.scheduler.allocationOver", {
          id,
          holding,
          at: allocation.expiresAt.toISOString(),
          status: allocation.status.toLowerCase(),
        }),
      );
    }
    const [held] = await tx.$queryRaw<{ version: bigint }[]>`SELECT "version" FROM "FleetVersion" WHERE "id" = 1 FOR UPDATE`;
    const after = await tx.allocation.update({ where: { id }, data: { status: "COMMITTED", committedAt: new Date() } });
    await recordAudit(tx, actor, {
      action: "allocation.commit",
      entityType: "Allocation",
      entityId: id,
      summary: `committed allocation (${holding})`,
      before: allocation,
      after,
    });
    return { after, from: held!.version, to: await fleetVersion(tx) };
  });
  // Committing keeps what the lock held: the cached fleet stays true under the new version.
  snapshotCacheFor(db).advance(result.from, result.to);
  return result.after;
}

/** Frees a lock or an allocation: its resources at once, and the ports no instance took over. */
export async function releaseAllocation(db: Db, actor: Actor, id: string) {
  return db.$transaction(async (tx) => {
    const { allocation, holding } = await loadForChange(tx, actor, id, "release");
    if (allocation.status === "RELEASED" || allocation.status === "EXPIRED") return allocation;
    await tx.portClaim.deleteMany({ where: { allocationItem: { allocationId: id }, instanceId: null } });
    const after = await tx.allocation.update({ where: { id }, data: { status: "RELEASED", releasedAt: new Date() } });
    await recordAudit(tx, actor, {
      action: "allocation.release",
      entityType: "Allocation",
      entityId: id,
      summary: `released allocation (${holding})`,
      before: allocation,
      after,
    });
    return after;
  });
}

export async function listAllocations(
  db: DbTx,
  f: { status?: "LOCKED" | "COMMITTED" | "RELEASED" | "EXPIRED"; hostId?: number; page: number; pageSize: number },
) {
  const where = {
    ...(f.status ? { status: f.status } : {}),
    ...(f.hostId ? { items: { some: { hostId: f.hostId } } } : {}),
  };
  const [total, rows] = await Promise.all([
    db.allocation.count({ where }),
    db.allocation.findMany({
      where,
      orderBy: { createdAt: "desc" },
      skip: (f.page - 1) * f.pageSize,
      take: f.pageSize,
      include: {
        holder: { select: { username: true } },
        productLine: { select: { code: true } },
        _count: { select: { items: true } },
      },
    }),
  ]);
  return { total, rows };
}
