import { text } from "../../../lib/text";
import type { DbTx } from "../../db/client";
import type { Actor } from "../access/actor";
import { badInput } from "../errors";
import { servicesInScope } from "./fleet";
import { growth } from "./series";
import { loadPromotionSettings } from "./settings";
import { promotionStats, type StatRow } from "./stats-store";

export type CompareCell = {
  promotionId: number;
  samples: number;
  qps: number | null;
  memMb: number | null;
  clients: number | null;
  baseQps: number | null;
  baseMemMb: number | null;
  baseClients: number | null;
  /** peak ÷ baseline of QPS; null when either is missing or the baseline is 0 */
  multiple: number | null;
  /** why figures are missing: no rollup in the window, or too few baseline days */
  note: "noSamples" | "noBaseline" | null;
};

export type CompareRow = {
  id: string;
  serviceId: number | null;
  name: string;
  productLine: string;
  services: number;
  cells: CompareCell[];
  /** from the first to the last chosen promotion (ordered by start) */
  growthQps: number | null;
  growthMemMb: number | null;
  growthClients: number | null;
};

export type CompareQuery = {
  promotionIds: number[];
  level: "service" | "productLine";
  search?: string;
  productLineId?: number;
  /** name | productLine | growthQps | growthMemMb | growthClients | <qps|memMb|clients|multiple>.<promotionId> */
  sort: string;
  dir: "asc" | "desc";
  page: number;
  pageSize: number;
};

const cellOf = (promotionId: number, r: StatRow | undefined): CompareCell => {
  const qps = r && r.samples > 0 ? r.qpsPeak : null;
  const baseQps = r && r.baseDays > 0 ? r.baseQps : null;
  return {
    promotionId,
    samples: r?.samples ?? 0,
    qps,
    memMb: r && r.samples > 0 ? r.memPeakMb : null,
    clients: r && r.samples > 0 ? r.clientsPeak : null,
    baseQps,
    baseMemMb: baseQps === null ? null : r!.baseMemMb,
    baseClients: baseQps === null ? null : r!.baseClients,
    multiple: qps !== null && baseQps !== null && baseQps > 0 ? qps / baseQps : null,
    note: qps === null ? "noSamples" : baseQps === null ? "noBaseline" : null,
  };
};

const sum = (xs: (number | null)[]) => (xs.some((x) => x !== null) ? xs.reduce<number>((s, x) => s + (x ?? 0), 0) : null);

/** A product line's cell: the sums of its services' peaks and baselines (peaks of different services need not coincide). */
function sumCells(promotionId: number, cells: CompareCell[]): CompareCell {
  const qps = sum(cells.map((c) => c.qps));
  const baseQps = sum(cells.map((c) => (c.qps !== null ? c.baseQps : null)));
  return {
    promotionId,
    samples: cells.reduce((s, c) => s + c.samples, 0),
    qps,
    memMb: sum(cells.map((c) => c.memMb)),
    clients: sum(cells.map((c) => c.clients)),
    baseQps,
    baseMemMb: sum(cells.map((c) => (c.qps !== null ? c.baseMemMb : null))),
    baseClients: sum(cells.map((c) => (c.qps !== null ? c.baseClients : null))),
    multiple: qps !== null && baseQps !== null && baseQps > 0 ? qps / baseQps : null,
    note: qps === null ? "noSamples" : baseQps === null ? "noBaseline" : null,
  };
}

function withGrowth(r: Omit<CompareRow, "growthQps" | "growthMemMb" | "growthClients">): CompareRow {
  const first = r.cells[0]!;
  const last = r.cells[r.cells.length - 1]!;
  return { ...r, growthQps: growth(first.qps, last.qps), growthMemMb: growth(first.memMb, last.memMb), growthClients: growth(first.clients, last.clients) };
}

function sortValue(r: CompareRow, sort: string): string | number | null {
  if (sort === "name" || sort === "productLine") return r[sort];
  if (sort === "growthQps" || sort === "growthMemMb" || sort === "growthClients") return r[sort];
  const [metric, id] = sort.split(".");
  const cell = r.cells.find((c) => c.promotionId === Number(id));
  return cell ? (cell[metric as "qps" | "memMb" | "clients" | "multiple"] ?? null) : null;
}

/** Missing figures sort last in either direction, so "worst first" never starts with blanks. */
function compareRows(sort: string, dir: "asc" | "desc") {
  const sign = dir === "asc" ? 1 : -1;
  return (a: CompareRow, b: CompareRow) => {
    const va = sortValue(a, sort);
    const vb = sortValue(b, sort);
    if (va === null || vb === null) return va === vb ? a.name.localeCompare(b.name) : va === null ? 1 : -1;
    const c = typeof va === "string" ? va.localeCompare(vb as string) : va - (vb as number);
    return c === 0 ? a.name.localeCompare(b.name) : sign * c;
  };
}

export const SORT_PATTERN = /^(name|productLine|growthQps|growthMemMb|growthClients|(qps|memMb|clients|multiple)\.\d+)$/;

/**
 * Side by side, per service or per product line, the chosen promotions' peaks, baselines and
 * multiples and the growth from the first to the last: every row in scope, filtered and sorted.
 */
export async function compareAll(db: DbTx, actor: Actor, q: Omit<CompareQuery, "page" | "pageSize">) {
  const promotions = await db.promotion.findMany({ where: { id: { in: q.promotionIds } }, orderBy: { startsAt: "asc" } });
  const missing = q.promotionIds.filter((id) => !promotions.some((p) => p.id === id));
  if (missing.length) throw badInput(text("refusals.promotions.missing", { ids: missing.join(", ") }));
  const settings = await loadPromotionSettings(db);
  const [services, stats] = await Promise.all([servicesInScope(db, actor), promotionStats(db, promotions, settings)]);
  const byKey = new Map(stats.map((s) => [`${s.promotionId}:${s.serviceId}`, s]));
  const needle = q.search?.trim().toLowerCase();
  const chosen = services.filter(
    (s) =>
      (!q.productLineId || s.productLineId === q.productLineId) &&
      (!needle || s.name.toLowerCase().includes(needle) || s.productLine.toLowerCase().includes(needle)),
  );
  const serviceRows = chosen.map((s) =>
    withGrowth({
      id: `s${s.id}`,
      serviceId: s.id,
      name: s.name,
      productLine: s.productLine,
      services: 1,
      cells: promotions.map((p) => cellOf(p.id, byKey.get(`${p.id}:${s.id}`))),
    }),
  );
  let rows = serviceRows;
  if (q.level === "productLine") {
    const groups = new Map<string, CompareRow[]>();
    for (const r of serviceRows) groups.set(r.productLine, [...(groups.get(r.productLine) ?? []), r]);
    rows = [...groups].map(([line, rs]) =>
      withGrowth({
        id: `p${line}`,
        serviceId: null,
        name: line,
        productLine: line,
        services: rs.length,
        cells: promotions.map((p, i) =>
          sumCells(
            p.id,
            rs.map((r) => r.cells[i]!),
          ),
        ),
      }),
    );
  }
  rows.sort(compareRows(q.sort, q.dir));
  return { promotions: promotions.map((p) => ({ id: p.id, name: p.name, kind: p.kind, startsAt: p.startsAt, endsAt: p.endsAt })), rows, settings };
}

export async function comparePromotions(db: DbTx, actor: Actor, q: CompareQuery) {
  const all = await compareAll(db, actor, q);
  return { ...all, total: all.rows.length, rows: all.rows.slice((q.page - 1) * q.pageSize, q.page * q.pageSize) };
}
