import { text } from "../../../lib/text";
import { z } from "zod";
import { dateSchema } from "../bounds";
import { PromotionKind } from "../../../generated/prisma/enums";
import type { DbTx } from "../../db/client";
import type { Actor } from "../access/actor";
import { recordAudit } from "../audit/record";
import { conflict, notFound } from "../errors";
import { transactional } from "../../db/transaction";

const MAX_DAYS = 31;

export const promotionInputSchema = z
  .object({
    name: z.string().trim().min(2, "refusals.fields.promotionName").max(80, "refusals.fields.promotionNameMax"),
    kind: z.enum(PromotionKind, { message: "refusals.fields.promotionKind" }),
    startsAt: dateSchema("the start"),
    endsAt: dateSchema("the end"),
    notes: z.string().trim().max(2000, "refusals.fields.notesMax").default(""),
  })
  .superRefine((p, ctx) => {
    if (p.endsAt <= p.startsAt) ctx.addIssue({ code: "custom", path: ["endsAt"], message: "refusals.fields.endAfterStart" });
    else if (p.endsAt.getTime() - p.startsAt.getTime() > MAX_DAYS * 86_400_000) {
      ctx.addIssue({
        code: "custom",
        path: ["endsAt"],
        message: `a promotion window longer than ${MAX_DAYS} days is not a peak: shorten it to the days of the sale`,
      });
    }
  });
export type PromotionInput = z.infer<typeof promotionInputSchema>;

type Row = { id: number; name: string; kind: PromotionKind; startsAt: Date; endsAt: Date; notes: string; isDemo: boolean };
export type CalendarEntry = Row & { status: "past" | "ongoing" | "upcoming"; overlaps: { id: number; name: string }[] };

const overlapping = (a: Pick<Row, "startsAt" | "endsAt">, b: Pick<Row, "startsAt" | "endsAt">) => a.startsAt < b.endsAt && b.startsAt < a.endsAt;

/** Every promotion, newest first; overlapping windows are allowed and named on each side. */
export async function listPromotions(db: DbTx, now = new Date()): Promise<CalendarEntry[]> {
  const rows = await db.promotion.findMany({
    select: { id: true, name: true, kind: true, startsAt: true, endsAt: true, notes: true, isDemo: true },
    orderBy: { startsAt: "desc" },
  });
  return rows.map((r) => ({
    ...r,
    status: r.endsAt <= now ? "past" : r.startsAt <= now ? "ongoing" : "upcoming",
    overlaps: rows.filter((o) => o.id !== r.id && overlapping(o, r)).map((o) => ({ id: o.id, name: o.name })),
  }));
}

async function assertNameFree(db: DbTx, name: string, exceptId: number | null) {
  const same = await db.promotion.findFirst({
    where: { name: { equals: name, mode: "insensitive" }, ...(exceptId ? { NOT: { id: exceptId } } : {}) },
    select: { id: true },
  });
  if (same) throw conflict(text("refusals.promotions.nameTaken", { name, id: same.id }));
}

async function overlapsOf(db: DbTx, p: Pick<Row, "startsAt" | "endsAt">, exceptId: number | null) {
  return db.promotion.findMany({
    where: { startsAt: { lt: p.endsAt }, endsAt: { gt: p.startsAt }, ...(exceptId ? { NOT: { id: exceptId } } : {}) },
    select: { id: true, name: true },
  });
}

export const createPromotion = transactional(async function createPromotion(db: DbTx, actor: Actor, input: PromotionInput) {
  await assertNameFree(db, input.name, null);
  const created = await db.promotion.create({ data: input });
  await recordAudit(db, actor, {
    action: "promotion.create",
    entityType: "Promotion",
    entityId: created.id,
    summary: `added promotion ${created.name}`,
    after: input,
  });
  return { promotion: created, overlaps: await overlapsOf(db, created, created.id) };
});

export const updatePromotion = transactional(async function updatePromotion(db: DbTx, actor: Actor, id: number, input: PromotionInput) {
  const before = await db.promotion.findUnique({ where: { id } });
  if (!before) throw notFound(text("refusals.notFound.promotion", { id }));
  await assertNameFree(db, input.name, id);
  const updated = await db.promotion.update({ where: { id }, data: input });
  const { name, kind, startsAt, endsAt, notes } = before;
  await recordAudit(db, actor, {
    action: "promotion.update",
    entityType: "Promotion",
    entityId: id,
    summary: `changed promotion ${updated.name}`,
    before: { name, kind, startsAt, endsAt, notes },
    after: input,
  });
  return { promotion: updated, overlaps: await overlapsOf(db, updated, id) };
});

export const deletePromotion = transactional(async function deletePromotion(db: DbTx, actor: Actor, id: number) {
  const before = await db.promotion.findUnique({ where: { id } });
  if (!before) throw notFound(text("refusals.notFound.promotion", { id }));
  await db.promotion.delete({ where: { id } });
  await recordAudit(db, actor, { action: "promotion.delete", entityType: "Promotion", entityId: id, summary: `deleted promotion ${before.name}`, before });
  return { id };
});
