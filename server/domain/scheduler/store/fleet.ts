import { Prisma } from "../../../../generated/prisma/client";
import type { DbTx } from "../../../db/client";
import { LIVE_ALLOCATION, usageSql } from "../../inventory/usage";
import { buildSnapshot, type ClusterSnapshot, type HostInput } from "../index";

type HostRow = {
  id: number;
  ip: string;
  rackId: number;
  idcId: number;
  status: HostInput["status"];
  tier: HostInput["tier"];
  departmentId: number | null;
  labels: Record<string, string>;
  cpuCores: number;
  memoryMb: number;
  diskGb: number;
  bandwidthMbps: number;
  reachable: boolean | null;
  diskFreeGb: number | null;
  netMbps: number | null;
};

/**
 * Every host as the scheduler sees it (or only `hostIds`): capacity, what is used or locked, who is
 * on it, which ports are taken. One query after another: inside a transaction they share one
 * connection anyway.
 */
export async function loadHostInputs(db: DbTx, hostIds: number[] | null = null): Promise<HostInput[]> {
  const on = (col: Prisma.Sql) => (hostIds ? Prisma.sql`${col} = ANY(${hostIds})` : Prisma.sql`TRUE`);
  const hosts = await db.$queryRaw<HostRow[]>`
      SELECT h."id", h."ip", h."rackId", r."idcId", h."status", h."tier", h."departmentId", h."labels",
             h."cpuCores", h."memoryMb", h."diskGb", h."bandwidthMbps", p."reachable",
             m."dataDiskFreeGb" AS "diskFreeGb", m."netMbps"
      FROM "Host" h JOIN "Rack" r ON r."id" = h."rackId" LEFT JOIN "HostProbe" p ON p."hostId" = h."id"
      LEFT JOIN "HostMetricState" m ON m."hostId" = h."id"
      WHERE ${on(Prisma.sql`h."id"`)} ORDER BY h."id"`;
  const usage = await db.$queryRaw<{ hostId: number; cpu: number; mem: bigint; disk: bigint; bw: bigint }[]>`${usageSql(hostIds)}`;
  const lines = await db.$queryRaw<{ hostId: number; productLineId: number }[]>`
      SELECT DISTINCT i."hostId", s."productLineId" FROM "Instance" i JOIN "Service" s ON s."id" = i."serviceId" WHERE ${on(Prisma.sql`i."hostId"`)}
      UNION
      SELECT DISTINCT a."hostId", al."productLineId" FROM "AllocationItem" a JOIN "Allocation" al ON al."id" = a."allocationId"
      WHERE al."productLineId" IS NOT NULL AND ${LIVE_ALLOCATION} AND ${on(Prisma.sql`a."hostId"`)}`;
  const services = await db.$queryRaw<{ hostId: number; serviceId: number; n: bigint }[]>`
      SELECT "hostId", "serviceId", sum(n)::bigint AS n FROM (
        SELECT i."hostId", i."serviceId", 1 AS n FROM "Instance" i WHERE ${on(Prisma.sql`i."hostId"`)}
        UNION ALL
        SELECT a."hostId", al."serviceId", 1 FROM "AllocationItem" a JOIN "Allocation" al ON al."id" = a."allocationId"
        WHERE al."serviceId" IS NOT NULL AND ${LIVE_ALLOCATION} AND ${on(Prisma.sql`a."hostId"`)}
          AND NOT EXISTS (SELECT 1 FROM "PortClaim" c WHERE c."allocationItemId" = a."id" AND c."instanceId" IS NOT NULL)
      ) x GROUP BY 1, 2`;
  const ports = await db.$queryRaw<{ hostId: number; port: number }[]>`SELECT "hostId", "port" FROM "PortClaim" WHERE ${on(Prisma.sql`"hostId"`)}`;
  const byId = new Map<number, HostInput>();
  for (const h of hosts) {
    byId.set(h.id, {
      id: h.id,
      ip: h.ip,
      rackId: h.rackId,
      idcId: h.idcId,
      status: h.status,
      reachable: h.reachable !== false,
      tier: h.tier,
      departmentId: h.departmentId,
      labels: h.labels,
      capacity: { cpuCores: h.cpuCores, memoryMb: h.memoryMb, diskGb: h.diskGb, bandwidthMbps: h.bandwidthMbps },
      used: { cpuCores: 0, memoryMb: 0, diskGb: 0, bandwidthMbps: 0 },
      measured: { diskFreeGb: h.diskFreeGb, bandwidthFreeMbps: h.netMbps === null ? null : Math.max(0, h.bandwidthMbps - h.netMbps) },
      productLineIds: [],
      serviceCounts: {},
      usedPorts: [],
    });
  }
  for (const u of usage) {
    const h = byId.get(u.hostId);
    if (h) h.used = { cpuCores: u.cpu, memoryMb: Number(u.mem), diskGb: Number(u.disk), bandwidthMbps: Number(u.bw) };
  }
  for (const l of lines) byId.get(l.hostId)?.productLineIds.push(l.productLineId);
  for (const s of services) {
    const h = byId.get(s.hostId);
    if (h) h.serviceCounts[s.serviceId] = Number(s.n);
  }
  for (const p of ports) byId.get(p.hostId)?.usedPorts.push(p.port);
  return [...byId.values()];
}

export async function fleetVersion(db: DbTx): Promise<bigint> {
  const [row] = await db.$queryRaw<{ version: bigint }[]>`SELECT "version" FROM "FleetVersion" WHERE "id" = 1`;
  return row?.version ?? 0n;
}

/** When the next live lock expires: usage changes then without any write. */
async function nextLockExpiry(db: DbTx): Promise<number> {
  const [row] = await db.$queryRaw<{ at: Date | null }[]>`SELECT min("expiresAt") AS at FROM "Allocation" WHERE "status" = 'LOCKED' AND "expiresAt" > now()`;
  return row?.at ? row.at.getTime() : Number.POSITIVE_INFINITY;
}

type Cached = { version: bigint; snapshot: ClusterSnapshot; staleAt: number };

/**
 * The compiled fleet, rebuilt only when FleetVersion moved (triggers move it on every write the
 * scheduler depends on, whoever wrote) or a lock expired. A placement or a release made here
 * updates it in place of a rebuild (`withPlacement`, `withHosts`). One cache per database handle.
 */
export class SnapshotCache {
  private cached: Cached | null = null;
  private loading: { version: bigint; promise: Promise<ClusterSnapshot> } | null = null;

  async get(db: DbTx): Promise<ClusterSnapshot> {
    const version = await fleetVersion(db);
    const c = this.cached;
    if (c && c.version === version && Date.now() < c.staleAt) return c.snapshot;
    // Concurrent readers of the same version share one rebuild.
    if (this.loading?.version !== version) {
      const promise = (async () => {
        const staleAt = await nextLockExpiry(db);
        const snapshot = buildSnapshot(await loadHostInputs(db));
        this.keep({ version, snapshot, staleAt });
        return snapshot;
      })();
      this.loading = { version, promise };
      promise
        .finally(() => {
          if (this.loading?.promise === promise) this.loading = null;
        })
        .catch(() => {});
    }
    return this.loading.promise;
  }

  /** Stores what a committed change produced, unless a newer state is already here. */
  keep(next: Cached): void {
    if (!this.cached || next.version >= this.cached.version) this.cached = next;
  }

  /** A committed change that left usage as it was (a lock committed): the same snapshot, the new version. */
  advance(from: bigint, to: bigint): void {
    if (this.cached?.version === from) this.cached = { ...this.cached, version: to };
  }

  /** The state it holds, for a change that will build on it. */
  current(): Cached | null {
    return this.cached;
  }
}

const caches = new WeakMap<object, SnapshotCache>();
/** The cache that belongs to this database client (the web server has one client). */
export function snapshotCacheFor(db: object): SnapshotCache {
  let c = caches.get(db);
  if (!c) caches.set(db, (c = new SnapshotCache()));
  return c;
}
