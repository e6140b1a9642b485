import { text } from "../../../lib/text";
import type { DbTx } from "../../db/client";
import type { Actor } from "../access/actor";
import { badInput, notFound } from "../errors";
import { loadSizingSettings } from "../requests/sizing-store";
import { assessRisk, capacityOf, type Capacity, type Risk } from "./capacity";
import { backtest, forecastPeak, outcomeMultiples, referenceOutcome, type Forecast, type Outcome } from "./forecast";
import { servicesInScope, type ServiceFootprint } from "./fleet";
import { median, type Metrics } from "./series";
import { loadPromotionSettings, type PromotionSettings } from "./settings";
import { currentBaselines, promotionStats, toOutcome } from "./stats-store";

export type RiskRow = {
  id: number;
  name: string;
  productLineId: number;
  productLine: string;
  kind: ServiceFootprint["kind"];
  shards: number;
  proxies: number;
  capacity: Capacity | null;
  forecast: Forecast;
  /** null when there is no forecast or no capacity to judge against */
  risk: Risk | null;
  /** the figure that cannot be true (a row written past the API's bounds): left out of the judgement, not the list */
  impossible: ImpossibleFigure | null;
};

/** Which figure of a service cannot be true, for the page to name. */
export type ImpossibleFigure = { field: "forecastQps" | "forecastMemMb" | "capacityQps" | "capacityMemMb"; value: string };

/** A forecast or capacity no real service has (infinite, NaN, negative): judged as none, so it cannot stop the list. */
function impossibleFigures(forecast: Forecast, capacity: Capacity | null): ImpossibleFigure | null {
  type Check = [ImpossibleFigure["field"], number];
  const checks: Check[] = [
    ...(forecast.ok
      ? ([
          ["forecastQps", forecast.judgedQps],
          ["forecastMemMb", forecast.memMb],
        ] satisfies Check[])
      : []),
    ...(capacity
      ? ([
          ["capacityQps", capacity.qps],
          ["capacityMemMb", capacity.memMb],
          ["capacityMemMb", capacity.perShardMemMb],
        ] satisfies Check[])
      : []),
  ];
  const bad = checks.find(([, x]) => !Number.isFinite(x) || x < 0);
  return bad ? { field: bad[0], value: String(bad[1]) } : null;
}

type Target = { id: number; name: string; kind: Outcome["kind"]; startsAt: Date; endsAt: Date };

/** Every past promotion's outcome per service, for the services given. */
async function histories(db: DbTx, settings: PromotionSettings, before: Date, now: Date) {
  const past = await db.promotion.findMany({ where: { endsAt: { lte: now }, startsAt: { lt: before } }, orderBy: { startsAt: "asc" } });
  const stats = await promotionStats(db, past, settings, now);
  const byKey = new Map(stats.map((s) => [`${s.promotionId}:${s.serviceId}`, s]));
  return { past, outcomesOf: (serviceId: number) => past.map((p) => toOutcome(p, byKey.get(`${p.id}:${serviceId}`))) };
}

/**
 * For services without a usable promotion: the fleet's median multiples at the promotion each
 * other service would use, taken from the latest promotion of the target's kind that has data.
 */
function fleetFallback(outcomes: Outcome[][], target: Target): { multiple: Metrics; from: string } | null {
  const refs = outcomes.map((h) => referenceOutcome(h, target)).filter((o): o is Outcome => o !== null);
  if (refs.length === 0) return null;
  const latest = refs.reduce((a, b) => (b.startsAt > a.startsAt ? b : a));
  const ms = refs.filter((r) => r.promotionId === latest.promotionId).map((r) => outcomeMultiples(r)!);
  return {
    multiple: { qps: median(ms.map((m) => m.qps)), memMb: median(ms.map((m) => m.memMb)), clients: median(ms.map((m) => m.clients)) },
    from: latest.name,
  };
}

export type RiskQuery = { promotionId: number; search?: string; atRiskOnly: boolean; page: number; pageSize: number };

/**
 * The forecast of every service in scope for an upcoming promotion, judged against its capacity
 * kept `headroom` free: worst load first; services without a forecast or capacity last.
 */
export async function riskList(db: DbTx, actor: Actor, q: RiskQuery, now = new Date()) {
  const target = await db.promotion.findUnique({ where: { id: q.promotionId } });
  if (!target) throw notFound(text("refusals.notFound.promotion", { id: q.promotionId }));
  if (target.startsAt <= now) throw badInput(text("refusals.promotions.started", { name: target.name }));
  const [settings, sizing] = await Promise.all([loadPromotionSettings(db), loadSizingSettings(db)]);
  const [services, h, current] = await Promise.all([
    servicesInScope(db, actor),
    histories(db, settings, target.startsAt, now),
    currentBaselines(db, settings, now),
  ]);
  const outcomes = new Map(services.map((s) => [s.id, h.outcomesOf(s.id)]));
  const fallback = fleetFallback([...outcomes.values()], target);
  const needle = q.search?.trim().toLowerCase();
  const rows: RiskRow[] = services
    .filter((s) => !needle || s.name.toLowerCase().includes(needle) || s.productLine.toLowerCase().includes(needle))
    .map((s) => {
      const forecast = forecastPeak(outcomes.get(s.id)!, current.get(s.id) ?? null, target, fallback, settings.baselineDays);
      const capacity = capacityOf(s, sizing);
      const impossible = impossibleFigures(forecast, capacity);
      const risk =
        forecast.ok && capacity && !impossible ? assessRisk(s, capacity, { qps: forecast.judgedQps, memMb: forecast.memMb }, settings.headroom, sizing) : null;
      return {
        id: s.id,
        name: s.name,
        productLineId: s.productLineId,
        productLine: s.productLine,
        kind: s.kind,
        shards: s.shards,
        proxies: s.proxies,
        capacity,
        forecast,
        risk,
        impossible,
      };
    });
  const all = rows.sort((a, b) => (b.risk?.load ?? -1) - (a.risk?.load ?? -1) || a.name.localeCompare(b.name));
  const shown = q.atRiskOnly ? all.filter((r) => r.risk?.atRisk) : all;
  return {
    target: { id: target.id, name: target.name, kind: target.kind, startsAt: target.startsAt, endsAt: target.endsAt },
    settings,
    ceilings: {
      redisQpsPerShard: sizing.redisQpsPerShard,
      memcachedQpsPerNode: sizing.memcachedQpsPerNode,
      proxyQps: sizing.proxyQps,
      redisMaxShardMemoryGb: sizing.redisMaxShardMemoryGb,
    },
    fallback,
    counts: {
      services: all.length,
      atRisk: all.filter((r) => r.risk?.atRisk).length,
      noForecast: all.filter((r) => !r.forecast.ok).length,
      impossible: all.filter((r) => r.impossible).length,
    },
    /** every service left out of the judgement (not only this page's), so the page can name them */
    impossible: all.flatMap((r) => (r.impossible ? [{ id: r.id, name: r.name, ...r.impossible }] : [])),
    total: shown.length,
    rows: shown.slice((q.page - 1) * q.pageSize, q.page * q.pageSize),
  };
}

/**
 * The method replayed on every past promotion, per service, then summed up per promotion:
 * how many services it could predict, the median error and the mean absolute error.
 */
export async function backtestSummary(db: DbTx, actor: Actor, now = new Date()) {
  const settings = await loadPromotionSettings(db);
  const [services, h] = await Promise.all([servicesInScope(db, actor), histories(db, settings, now, now)]);
  const outcomes = services.map((s) => h.outcomesOf(s.id));
  const points = outcomes.flatMap(backtest);
  return h.past
    .map((p) => {
      const errors = points.filter((x) => x.promotionId === p.id).map((x) => x.error);
      const withData = outcomes.filter((os) => os.find((o) => o.promotionId === p.id)?.peak).length;
      return {
        id: p.id,
        name: p.name,
        kind: p.kind,
        startsAt: p.startsAt,
        servicesWithData: withData,
        predicted: errors.length,
        medianError: errors.length ? median(errors) : null,
        meanAbsError: errors.length ? errors.reduce((s, e) => s + Math.abs(e), 0) / errors.length : null,
        within20: errors.length ? errors.filter((e) => Math.abs(e) <= 0.2).length / errors.length : null,
      };
    })
    .reverse();
}
