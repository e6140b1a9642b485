import { text } from "../../../lib/text";
import type { DbTx } from "../../db/client";
import type { Actor } from "../access/actor";
import { badInput } from "../errors";
import { loadSizingSettings } from "../requests/sizing-store";
import { capacityOf } from "./capacity";
import { serviceInScope } from "./fleet";
import { HOUR_MS, peakInWindow } from "./series";
import { loadPromotionSettings } from "./settings";

/** Hours shown before a window opens and after it closes, so the ramp and the fall are visible. */
export const OVERLAY_BEFORE_H = 48;
export const OVERLAY_AFTER_H = 24;

/**
 * One service's hourly curves around each chosen promotion, on a shared axis of hours from the
 * promotion's start, with the window lengths (for shading) and today's capacity (for the line).
 */
export async function serviceOverlay(db: DbTx, actor: Actor, serviceId: number, promotionIds: number[]) {
  const service = await serviceInScope(db, actor, serviceId);
  const promotions = await db.promotion.findMany({ where: { id: { in: promotionIds } }, orderBy: { startsAt: "asc" } });
  if (promotions.length !== promotionIds.length) throw badInput(text("refusals.promotions.gone"));
  const [settings, sizing] = await Promise.all([loadPromotionSettings(db), loadSizingSettings(db)]);
  const curves = await Promise.all(
    promotions.map(async (p) => {
      const rows = await db.serviceHour.findMany({
        where: {
          serviceId,
          bucket: { gte: new Date(p.startsAt.getTime() - OVERLAY_BEFORE_H * HOUR_MS), lt: new Date(p.endsAt.getTime() + OVERLAY_AFTER_H * HOUR_MS) },
        },
        select: { bucket: true, opsMax: true, usedMemoryMbMax: true, clientsMax: true },
        orderBy: { bucket: "asc" },
      });
      const samples = rows.map((r) => ({ at: r.bucket, qps: r.opsMax, memMb: r.usedMemoryMbMax, clients: r.clientsMax }));
      return {
        promotionId: p.id,
        name: p.name,
        startsAt: p.startsAt,
        windowHours: (p.endsAt.getTime() - p.startsAt.getTime()) / HOUR_MS,
        peak: peakInWindow(samples, p),
        points: samples.map((s) => ({ h: (s.at.getTime() - p.startsAt.getTime()) / HOUR_MS, qps: s.qps, memMb: s.memMb, clients: s.clients })),
      };
    }),
  );
  return {
    service: { id: service.id, name: service.name, productLine: service.productLine, kind: service.kind, shards: service.shards, proxies: service.proxies },
    capacity: capacityOf(service, sizing),
    headroom: settings.headroom,
    curves,
  };
}
