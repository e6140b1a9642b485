import type { HostStatus } from "../../../generated/prisma/enums";
import type { DbTx } from "../../db/client";
import type { HostLookupInput } from "./schemas";

export type HostMatch = { id: number; ip: string; hostname: string; status: HostStatus; idc: string; rack: string };

/**
 * Hosts whose IP starts with a prefix, in address order (inet, so .9 comes before .10): the picker
 * a DBA uses to name the host of an instance without paging through thousands of hosts.
 */
export function lookupHosts(db: DbTx, input: HostLookupInput): Promise<HostMatch[]> {
  // The schema allows only digits and dots, so the prefix carries no LIKE wildcard.
  return db.$queryRaw<HostMatch[]>`
    SELECT h."id", h."ip", h."hostname", h."status"::text AS "status", i."code" AS "idc", r."code" AS "rack"
    FROM "Host" h JOIN "Rack" r ON r."id" = h."rackId" JOIN "Idc" i ON i."id" = r."idcId"
    WHERE h."ip" LIKE ${`${input.prefix}%`}
    ORDER BY h."ip"::inet
    LIMIT ${input.limit}`;
}
