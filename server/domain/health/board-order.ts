import type { HealthLevel } from "../../../generated/prisma/enums";

/** The NOC board's pure core: how tiles and product-line groups are ordered and counted. */

/** A reason as the health rules store it: a code with parameters, translated on the page. */
export type HealthReason = { code: string; level: HealthLevel; params: Record<string, unknown> };

export type BoardTile = {
  serviceId: number;
  name: string;
  kind: string;
  level: HealthLevel;
  /** the reasons as codes, worst first: clients' impact first, then the instances' */
  reasons: HealthReason[];
  /** Hedwig's own jobs running on the service (failover, restart): what is being done */
  actions: { kind: string; since: Date }[];
  /** since when the service has had this level (the open incident's start when there is one) */
  since: Date | null;
  incident: {
    id: number;
    openedAt: Date;
    /** a host incident's address */
    host: string | null;
    acknowledgedAt: Date | null;
    acknowledgedBy: string | null;
    ackNote: string | null;
    silencedUntil: Date | null;
  } | null;
};

export type ProductLineRef = { id: number; code: string; name: string; importance: number };
export type BoardGroup = { productLine: ProductLineRef; worst: HealthLevel; tiles: BoardTile[] };

/** RED first, UNKNOWN (not monitored) last. */
export const LEVEL_RANK: Record<HealthLevel, number> = { RED: 0, AMBER: 1, GREEN: 2, MAINTENANCE: 2, UNKNOWN: 3 };

const rank = (l: HealthLevel) => LEVEL_RANK[l];
const time = (d: Date | null) => (d ? d.getTime() : Number.MAX_SAFE_INTEGER);

/** Within a level, the oldest problem first (it has waited longest), then by name. */
export function compareTiles(a: BoardTile, b: BoardTile): number {
  return rank(a.level) - rank(b.level) || (a.level === "GREEN" || a.level === "UNKNOWN" ? 0 : time(a.since) - time(b.since)) || a.name.localeCompare(b.name);
}

export function worstLevel(levels: Iterable<HealthLevel>): HealthLevel {
  let worst: HealthLevel = "UNKNOWN";
  let seen = false;
  for (const l of levels) {
    if (!seen || rank(l) < rank(worst)) worst = l;
    seen = true;
  }
  return worst;
}

/** Groups by product line: the worst group first, then the more important line, then by code. */
export function groupTiles(rows: { productLine: ProductLineRef; tile: BoardTile }[]): BoardGroup[] {
  const byLine = new Map<number, BoardGroup>();
  for (const { productLine, tile } of rows) {
    let g = byLine.get(productLine.id);
    if (!g) byLine.set(productLine.id, (g = { productLine, worst: "UNKNOWN", tiles: [] }));
    g.tiles.push(tile);
  }
  const groups = [...byLine.values()];
  for (const g of groups) {
    g.tiles.sort(compareTiles);
    g.worst = worstLevel(g.tiles.map((t) => t.level));
  }
  return groups.sort(
    (a, b) => rank(a.worst) - rank(b.worst) || b.productLine.importance - a.productLine.importance || a.productLine.code.localeCompare(b.productLine.code),
  );
}

/** The reasons as stored by the health rules; anything malformed is skipped rather than shown wrong. */
export function parseReasons(raw: unknown): HealthReason[] {
  if (!Array.isArray(raw)) return [];
  const out: HealthReason[] = [];
  for (const r of raw) {
    if (
      r &&
      typeof r === "object" &&
      typeof (r as HealthReason).code === "string" &&
      (r as HealthReason).params &&
      typeof (r as HealthReason).params === "object"
    ) {
      const level = (r as HealthReason).level;
      out.push({ code: (r as HealthReason).code, level: level in LEVEL_RANK ? level : "AMBER", params: (r as HealthReason).params });
    }
  }
  return out.sort((a, b) => rank(a.level) - rank(b.level));
}

export type LevelCounts = Record<HealthLevel, number>;

export function countLevels(tiles: Iterable<{ level: HealthLevel }>): LevelCounts {
  const c: LevelCounts = { RED: 0, AMBER: 0, GREEN: 0, UNKNOWN: 0, MAINTENANCE: 0 };
  for (const t of tiles) c[t.level]++;
  return c;
}

/** Silenced: alerts are held back until then; the tile still shows (the problem is still there). */
export const isSilenced = (silencedUntil: Date | null | undefined, now: Date) => !!silencedUntil && silencedUntil > now;
