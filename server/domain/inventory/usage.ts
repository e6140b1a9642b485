import { Prisma } from "../../../generated/prisma/client";

/**
 * What hosts carry, per host: their instances plus the live scheduler locks and allocations whose
 * instances do not exist yet (an item whose claim already points at an instance is counted through
 * the instance). One definition, read by the host pages and the scheduler alike.
 * `hostIds` null: every host.
 */
export function usageSql(hostIds: number[] | null): Prisma.Sql {
  const onHosts = (col: Prisma.Sql) => (hostIds ? Prisma.sql`${col} = ANY(${hostIds})` : Prisma.sql`TRUE`);
  return Prisma.sql`
    SELECT "hostId", sum(n)::bigint AS instances, sum(cpu)::float8 AS cpu, sum(mem)::bigint AS mem, sum(disk)::bigint AS disk, sum(bw)::bigint AS bw FROM (
      SELECT i."hostId", 1 AS n, i."cpuCores" AS cpu, i."memoryMb" AS mem, i."diskGb" AS disk, i."bandwidthMbps" AS bw
        FROM "Instance" i WHERE ${onHosts(Prisma.sql`i."hostId"`)}
      UNION ALL
      SELECT a."hostId", 0, a."cpuCores", a."memoryMb", a."diskGb", a."bandwidthMbps"
        FROM "AllocationItem" a JOIN "Allocation" al ON al."id" = a."allocationId"
        WHERE ${onHosts(Prisma.sql`a."hostId"`)} AND ${LIVE_ALLOCATION}
          AND NOT EXISTS (SELECT 1 FROM "PortClaim" c WHERE c."allocationItemId" = a."id" AND c."instanceId" IS NOT NULL)
    ) u GROUP BY "hostId"`;
}

/** An allocation that still holds its resources: committed, or locked and not yet expired (alias `al`). */
export const LIVE_ALLOCATION = Prisma.sql`(al."status" = 'COMMITTED' OR (al."status" = 'LOCKED' AND al."expiresAt" > now()))`;
