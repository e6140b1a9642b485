import type { DbTx } from "../../../db/client";
import { LIVE_ALLOCATION, usageSql } from "../../inventory/usage";
import { buildSnapshot, type ClusterSnapshot, type HostInput } from "../index";

type HostRow = {
  id: number; ip: string; rackId: number; idcId: number; status: HostInput["status"]; tier: HostInput["tier"];
  departmentId: number | null; labels: Record<string, string>; cpuCores: number; memoryMb: number; diskGb: number; bandwidthMbps: number;
};

/** Every host as the scheduler sees it: capacity, what is used or locked, who is on it, which ports are taken. */
export async function loadHostInputs(db: DbTx): Promise<HostInput[]> {
  const [hosts, usage, lines, services, ports] = await Promise.all([
    db.$queryRaw<HostRow[]>`
      SELECT h."id", h."ip", h."rackId", r."idcId", h."status", h."tier", h."departmentId", h."labels",
             h."cpuCores", h."memoryMb", h."diskGb", h."bandwidthMbps"
      FROM "Host" h JOIN "Rack" r ON r."id" = h."rackId" ORDER BY h."id"`,
    db.$queryRaw<{ hostId: number; cpu: number; mem: bigint; disk: bigint; bw: bigint }[]>`${usageSql(null)}`,
    db.$queryRaw<{ hostId: number; productLineId: number }[]>`
      SELECT DISTINCT i."hostId", s."productLineId" FROM "Instance" i JOIN "Service" s ON s."id" = i."serviceId"
      UNION
      SELECT DISTINCT a."hostId", al."productLineId" FROM "AllocationItem" a JOIN "Allocation" al ON al."id" = a."allocationId"
      WHERE al."productLineId" IS NOT NULL AND ${LIVE_ALLOCATION}`,
    db.$queryRaw<{ hostId: number; serviceId: number; n: bigint }[]>`
      SELECT "hostId", "serviceId", sum(n)::bigint AS n FROM (
        SELECT i."hostId", i."serviceId", 1 AS n FROM "Instance" i
        UNION ALL
        SELECT a."hostId", al."serviceId", 1 FROM "AllocationItem" a JOIN "Allocation" al ON al."id" = a."allocationId"
        WHERE al."serviceId" IS NOT NULL AND ${LIVE_ALLOCATION}
          AND NOT EXISTS (SELECT 1 FROM "PortClaim" c WHERE c."allocationItemId" = a."id" AND c."instanceId" IS NOT NULL)
      ) x GROUP BY 1, 2`,
    db.$queryRaw<{ hostId: number; port: number }[]>`SELECT "hostId", "port" FROM "PortClaim"`,
  ]);
  const byId = new Map<number, HostInput>();
  for (const h of hosts) {
    byId.set(h.id, {
      id: h.id,
      ip: h.ip,
      rackId: h.rackId,
      idcId: h.idcId,
      status: h.status,
      tier: h.tier,
      departmentId: h.departmentId,
      labels: h.labels,
      capacity: { cpuCores: h.cpuCores, memoryMb: h.memoryMb, diskGb: h.diskGb, bandwidthMbps: h.bandwidthMbps },
      used: { cpuCores: 0, memoryMb: 0, diskGb: 0, bandwidthMbps: 0 },
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

/**
 * The compiled fleet, rebuilt only when FleetVersion moved (triggers move it on every write the
 * scheduler depends on, whoever wrote). One cache per database handle.
 */
export class SnapshotCache {
  private version: bigint | null = null;
  private snapshot: ClusterSnapshot | null = null;
  private loading: { version: bigint; promise: Promise<ClusterSnapshot> } | null = null;

  async get(db: DbTx): Promise<ClusterSnapshot> {
    const version = await fleetVersion(db);
    if (this.snapshot && this.version === version) return this.snapshot;
    // Concurrent readers of the same version share one rebuild.
    if (this.loading?.version !== version) {
      const promise = loadHostInputs(db).then((hosts) => {
        const snapshot = buildSnapshot(hosts);
        if (this.version === null || version > this.version) {
          this.snapshot = snapshot;
          this.version = version;
        }
        return snapshot;
      });
      this.loading = { version, promise };
      promise.finally(() => {
        if (this.loading?.promise === promise) this.loading = null;
      }).catch(() => {});
    }
    return this.loading.promise;
  }
}

const caches = new WeakMap<object, SnapshotCache>();
/** The cache that belongs to this database client (the web server has one client). */
export function snapshotCacheFor(db: object): SnapshotCache {
  let c = caches.get(db);
  if (!c) caches.set(db, (c = new SnapshotCache()));
  return c;
}
