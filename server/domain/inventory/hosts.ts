import { text } from "../../../lib/text";
import { Prisma } from "../../../generated/prisma/client";
import type { HostStatus, UsageTier } from "../../../generated/prisma/enums";
import type { DbTx } from "../../db/client";
import type { Actor } from "../access/actor";
import { recordAudit } from "../audit/record";
import { badInput, conflict, notFound, precondition } from "../errors";
import { hostWhereSql } from "./host-selection";
import { usageSql } from "./usage";
import { parseLabelSelector, selectorKeys } from "./label-selector";
import type { HostCreateInput, HostFilter, HostListInput, HostUpdateInput } from "./schemas";
import { observedInclude } from "../healing/observed";
import { transactional } from "../../db/transaction";

const SORT_SQL: Record<HostListInput["sort"], Prisma.Sql> = {
  ip: Prisma.sql`h."ip"::inet`,
  hostname: Prisma.sql`h."hostname"`,
  cpuCores: Prisma.sql`h."cpuCores"`,
  memoryMb: Prisma.sql`h."memoryMb"`,
  diskGb: Prisma.sql`h."diskGb"`,
  status: Prisma.sql`h."status"`,
  tier: Prisma.sql`h."tier"`,
  idc: Prisma.sql`r."idcId"`,
  rack: Prisma.sql`r."code"`,
  instances: Prisma.sql`coalesce(iu.n, 0)`,
  usedMemory: Prisma.sql`coalesce(iu.mem, 0)`,
};

// Sorting by what hosts carry needs every host's total: one grouped pass, joined only for those sorts.
const USAGE_SORT_JOIN = Prisma.sql`LEFT JOIN (SELECT "hostId", count(*) AS n, sum("memoryMb") AS mem FROM "Instance" GROUP BY "hostId") iu ON iu."hostId" = h."id"`;

export async function selectHostIds(db: DbTx, filter: HostFilter): Promise<number[]> {
  const rows = await db.$queryRaw<{ id: number }[]>`
    SELECT h."id" FROM "Host" h JOIN "Rack" r ON r."id" = h."rackId" WHERE ${hostWhereSql(filter)}`;
  return rows.map((r) => r.id);
}

/** Of the label keys a selector names, those no host carries (most likely typos). */
async function missingLabelKeys(db: DbTx, keys: string[]): Promise<string[]> {
  if (keys.length === 0) return [];
  const rows = await db.$queryRaw<{ key: string }[]>`
    SELECT k AS key FROM unnest(${keys}::text[]) k WHERE NOT EXISTS (SELECT 1 FROM "Host" h WHERE h."labels" ? k)`;
  return rows.map((r) => r.key);
}

type HostListRow = {
  id: number;
  ip: string;
  hostname: string;
  idc: string;
  rack: string;
  cpuCores: number;
  memoryMb: number;
  diskGb: number;
  bandwidthMbps: number;
  labels: Record<string, string>;
  status: HostStatus;
  tier: UsageTier;
  department: string | null;
  isDemo: boolean;
  instances: bigint;
  usedCpu: number;
  usedMemoryMb: bigint;
  usedDiskGb: bigint;
  usedBandwidthMbps: bigint;
};

/**
 * One page of hosts in two round trips whatever the fleet's size: the page's ids with the match
 * count (a window over the filtered rows), then those rows with their usage. Host lists are the
 * DBA's most frequent query, so it stays in SQL rather than in ORM includes.
 */
export async function listHosts(db: DbTx, input: HostListInput) {
  const where = hostWhereSql(input);
  const order = SORT_SQL[input.sort];
  const dir = input.dir === "desc" ? Prisma.sql`DESC` : Prisma.sql`ASC`;
  const offset = (input.page - 1) * input.pageSize;
  const [page, unknownKeys] = await Promise.all([
    db.$queryRaw<{ id: number; total: bigint }[]>`
      SELECT h."id", count(*) OVER () AS total FROM "Host" h JOIN "Rack" r ON r."id" = h."rackId"
      ${input.sort === "instances" || input.sort === "usedMemory" ? USAGE_SORT_JOIN : Prisma.empty}
      WHERE ${where} ORDER BY ${order} ${dir}, h."id" ASC LIMIT ${input.pageSize} OFFSET ${offset}`,
    input.selector ? missingLabelKeys(db, selectorKeys(parseLabelSelector(input.selector))) : Promise.resolve([]),
  ]);
  const ids = page.map((r) => r.id);
  const total = page.length
    ? Number(page[0]!.total)
    : Number((await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM "Host" h JOIN "Rack" r ON r."id" = h."rackId" WHERE ${where}`)[0]!.n);
  const rows = ids.length
    ? await db.$queryRaw<HostListRow[]>`
        SELECT h."id", h."ip", h."hostname", i."code" AS idc, r."code" AS rack, h."cpuCores", h."memoryMb", h."diskGb", h."bandwidthMbps",
               h."labels", h."status", h."tier", d."name" AS department, h."isDemo",
               coalesce(u.instances, 0) AS instances, coalesce(u.cpu, 0)::float8 AS "usedCpu", coalesce(u.mem, 0) AS "usedMemoryMb",
               coalesce(u.disk, 0) AS "usedDiskGb", coalesce(u.bw, 0) AS "usedBandwidthMbps"
        FROM "Host" h JOIN "Rack" r ON r."id" = h."rackId" JOIN "Idc" i ON i."id" = r."idcId"
        LEFT JOIN "Department" d ON d."id" = h."departmentId"
        LEFT JOIN (${usageSql(ids)}) u ON u."hostId" = h."id"
        WHERE h."id" = ANY(${ids})`
    : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return {
    total,
    unknownKeys,
    rows: ids.map((id) => {
      const r = byId.get(id)!;
      return {
        ...r,
        instances: Number(r.instances),
        usedMemoryMb: Number(r.usedMemoryMb),
        usedDiskGb: Number(r.usedDiskGb),
        usedBandwidthMbps: Number(r.usedBandwidthMbps),
      };
    }),
  };
}

type Usage = { instances: number; usedCpu: number; usedMemoryMb: number; usedDiskGb: number; usedBandwidthMbps: number };
const EMPTY_USAGE: Usage = { instances: 0, usedCpu: 0, usedMemoryMb: 0, usedDiskGb: 0, usedBandwidthMbps: 0 };

/** What each host carries: its instances plus live scheduler locks/allocations not yet turned into instances. */
export async function hostUsage(db: DbTx, hostIds: number[]): Promise<Map<number, Usage>> {
  if (hostIds.length === 0) return new Map();
  const rows = await db.$queryRaw<{ hostId: number; instances: bigint; cpu: number; mem: bigint; disk: bigint; bw: bigint }[]>`${usageSql(hostIds)}`;
  return new Map(
    rows.map((r) => [
      r.hostId,
      { instances: Number(r.instances), usedCpu: r.cpu, usedMemoryMb: Number(r.mem), usedDiskGb: Number(r.disk), usedBandwidthMbps: Number(r.bw) },
    ]),
  );
}

export async function getHost(db: DbTx, id: number) {
  const host = await db.host.findUnique({
    where: { id },
    include: {
      rack: { include: { idc: true } },
      department: true,
      instances: {
        include: { service: { select: { id: true, name: true, productLine: { select: { code: true } } } }, ...observedInclude },
        orderBy: { port: "asc" },
      },
      allocationItems: {
        where: { allocation: { status: { in: ["LOCKED", "COMMITTED"] } } },
        include: { allocation: { include: { holder: { select: { username: true } } } } },
        orderBy: { port: "asc" },
      },
    },
  });
  if (!host) throw notFound(text("errors.domain.notFound.host", { id }));
  const usage = (await hostUsage(db, [id])).get(id) ?? EMPTY_USAGE;
  return { ...host, labels: host.labels as Record<string, string>, usage };
}

async function assertIpFree(db: DbTx, ip: string, exceptId?: number) {
  const other = await db.host.findUnique({ where: { ip }, select: { id: true, hostname: true } });
  if (other && other.id !== exceptId) throw conflict(text("errors.domain.hosts.ipTaken", { ip, hostname: other.hostname, id: other.id }));
}

async function assertRefs(db: DbTx, h: { rackId?: number; departmentId?: number | null }) {
  if (h.rackId !== undefined && !(await db.rack.findUnique({ where: { id: h.rackId }, select: { id: true } }))) {
    throw badInput(text("errors.domain.hosts.rackMissing", { id: h.rackId }));
  }
  if (h.departmentId && !(await db.department.findUnique({ where: { id: h.departmentId }, select: { id: true } }))) {
    throw badInput(text("errors.domain.hosts.departmentMissing", { id: h.departmentId }));
  }
}

export const createHost = transactional(async function createHost(db: DbTx, actor: Actor, input: HostCreateInput) {
  await assertIpFree(db, input.ip);
  await assertRefs(db, input);
  const host = await db.host.create({ data: { ...input, departmentId: input.tier === "MIXED_DEPARTMENT" ? input.departmentId : null } });
  await recordAudit(db, actor, {
    action: "host.create",
    entityType: "Host",
    entityId: host.id,
    text: text("auditLog.hosts.create", { ip: host.ip, hostname: host.hostname }),
    after: host,
  });
  return host;
});

/** A capacity below what the host already carries would make the scheduler's numbers lie. */
async function assertCapacityCovers(db: DbTx, id: number, next: { cpuCores: number; memoryMb: number; diskGb: number; bandwidthMbps: number }) {
  const u = (await hostUsage(db, [id])).get(id);
  if (!u) return;
  const short: string[] = [];
  if (next.cpuCores < u.usedCpu) short.push(`${u.usedCpu} CPU`);
  if (next.memoryMb < u.usedMemoryMb) short.push(`${u.usedMemoryMb} MB of memory`);
  if (next.diskGb < u.usedDiskGb) short.push(`${u.usedDiskGb} GB of disk`);
  if (next.bandwidthMbps < u.usedBandwidthMbps) short.push(`${u.usedBandwidthMbps} Mbps`);
  if (short.length) throw precondition(text("errors.domain.hosts.capacityUsed", { used: short.join(", ") }));
}

export const updateHost = transactional(async function updateHost(db: DbTx, actor: Actor, input: HostUpdateInput) {
  const before = await db.host.findUnique({ where: { id: input.id } });
  if (!before) throw notFound(text("errors.domain.notFound.host", { id: input.id }));
  const { id, ...change } = input;
  if (change.ip && change.ip !== before.ip) await assertIpFree(db, change.ip, id);
  await assertRefs(db, change);
  const tier = change.tier ?? before.tier;
  const departmentId = change.departmentId !== undefined ? change.departmentId : before.departmentId;
  if (tier === "MIXED_DEPARTMENT" && departmentId == null) throw badInput(text("errors.domain.hosts.mixedNeedsDepartment"));
  await assertCapacityCovers(db, id, {
    cpuCores: change.cpuCores ?? before.cpuCores,
    memoryMb: change.memoryMb ?? before.memoryMb,
    diskGb: change.diskGb ?? before.diskGb,
    bandwidthMbps: change.bandwidthMbps ?? before.bandwidthMbps,
  });
  const after = await db.host.update({ where: { id }, data: { ...change, departmentId: tier === "MIXED_DEPARTMENT" ? departmentId : null } });
  await recordAudit(db, actor, {
    action: "host.update",
    entityType: "Host",
    entityId: id,
    text: text("auditLog.hosts.update", { ip: after.ip }),
    before,
    after,
  });
  return after;
});

export const deleteHost = transactional(async function deleteHost(db: DbTx, actor: Actor, id: number) {
  const host = await db.host.findUnique({
    where: { id },
    include: {
      instances: { take: 3, select: { port: true, service: { select: { name: true } } } },
      _count: { select: { instances: true, allocationItems: { where: { allocation: { status: { in: ["LOCKED", "COMMITTED"] } } } } } },
    },
  });
  if (!host) throw notFound(text("errors.domain.notFound.host", { id }));
  if (host._count.instances > 0) {
    const some = host.instances.map((i) => `${i.service.name}:${i.port}`).join(", ");
    throw precondition(
      text("errors.domain.hosts.carriesInstances", { ip: host.ip, n: host._count.instances, some: `${some}${host._count.instances > 3 ? ", …" : ""}` }),
    );
  }
  if (host._count.allocationItems > 0) {
    throw precondition(text("errors.domain.hosts.inAllocations", { ip: host.ip, n: host._count.allocationItems }));
  }
  await db.host.delete({ where: { id } });
  await recordAudit(db, actor, {
    action: "host.delete",
    entityType: "Host",
    entityId: id,
    text: text("auditLog.hosts.delete", { ip: host.ip, hostname: host.hostname }),
    before: host,
  });
});
