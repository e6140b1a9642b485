import { Prisma } from "../../../generated/prisma/client";
import { parseLabelSelector, type LabelRequirement } from "./label-selector";
import type { HostFilter } from "./schemas";

const contains = (key: string, value: string) => Prisma.sql`h."labels" @> ${JSON.stringify({ [key]: value })}::jsonb`;

/** One requirement as SQL; `@>` containment uses the GIN (jsonb_path_ops) index on Host.labels. */
function requirementSql(r: LabelRequirement): Prisma.Sql {
  switch (r.op) {
    case "eq":
      return contains(r.key, r.value);
    case "neq":
      return Prisma.sql`NOT (${contains(r.key, r.value)})`;
    case "in":
      return Prisma.sql`(${Prisma.join(
        r.values.map((v) => contains(r.key, v)),
        " OR ",
      )})`;
    case "notin":
      return Prisma.sql`NOT (${Prisma.join(
        r.values.map((v) => contains(r.key, v)),
        " OR ",
      )})`;
    case "exists":
      return Prisma.sql`h."labels" ? ${r.key}`;
    case "notexists":
      return Prisma.sql`NOT (h."labels" ? ${r.key})`;
  }
}

/** The WHERE clause (over `"Host" h JOIN "Rack" r`) that a host filter stands for. */
export function hostWhereSql(filter: HostFilter): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  for (const r of parseLabelSelector(filter.selector)) parts.push(requirementSql(r));
  if (filter.search) {
    const like = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    parts.push(Prisma.sql`(h."ip" ILIKE ${like} OR h."hostname" ILIKE ${like})`);
  }
  if (filter.idcId) parts.push(Prisma.sql`r."idcId" = ${filter.idcId}`);
  if (filter.rackId) parts.push(Prisma.sql`h."rackId" = ${filter.rackId}`);
  if (filter.status) parts.push(Prisma.sql`h."status" = ${filter.status}::"HostStatus"`);
  if (filter.tier) parts.push(Prisma.sql`h."tier" = ${filter.tier}::"UsageTier"`);
  return parts.length ? Prisma.join(parts, " AND ") : Prisma.sql`TRUE`;
}
