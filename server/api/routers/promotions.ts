import { z } from "zod";
import { idSchema, pageNumberSchema } from "../../domain/bounds";
import { backtestSummary, riskList } from "../../domain/promotions/risk";
import { compareAll, comparePromotions, SORT_PATTERN } from "../../domain/promotions/compare";
import { createPromotion, deletePromotion, listPromotions, promotionInputSchema, updatePromotion } from "../../domain/promotions/calendar";
import { serviceOverlay } from "../../domain/promotions/overlay";
import { loadPromotionSettings, PROMOTION_SETTINGS, savePromotionSettings } from "../../domain/promotions/settings";
import { patchSchema } from "../../domain/settings/store";
import { authedProcedure, createTRPCRouter, procedureFor } from "../trpc";

/** DBAs prepare promotions (ADMIN too); NOC and BUSINESS read (BUSINESS scoped to their product lines in the domain). */
const idInput = z.object({ id: idSchema });
const promotionIds = z
  .array(idSchema)
  .min(2, "refusals.fields.compareMin")
  .max(6, "refusals.fields.compareMax")
  .refine((ids) => new Set(ids).size === ids.length, "refusals.fields.comparePickedTwice");
const compareFilter = z.object({
  promotionIds,
  level: z.enum(["service", "productLine"]).default("service"),
  search: z.string().trim().max(100).optional(),
  productLineId: idSchema.optional(),
  sort: z.string().regex(SORT_PATTERN, "refusals.fields.compareSort").default("name"),
  dir: z.enum(["asc", "desc"]).default("asc"),
});

export const promotionsRouter = createTRPCRouter({
  list: authedProcedure.query(({ ctx }) => listPromotions(ctx.db)),
  create: procedureFor("operate")
    .input(promotionInputSchema)
    .mutation(({ ctx, input }) => createPromotion(ctx.db, ctx.actor, input)),
  update: procedureFor("operate")
    .input(z.object({ id: idSchema, promotion: promotionInputSchema }))
    .mutation(({ ctx, input }) => updatePromotion(ctx.db, ctx.actor, input.id, input.promotion)),
  delete: procedureFor("operate")
    .input(idInput)
    .mutation(({ ctx, input }) => deletePromotion(ctx.db, ctx.actor, input.id)),
  compare: authedProcedure
    .input(compareFilter.extend({ page: pageNumberSchema.default(1), pageSize: z.number().int().min(1).max(200).default(50) }))
    .query(({ ctx, input }) => comparePromotions(ctx.db, ctx.actor, input)),
  /** every row of a comparison, for the CSV export */
  compareAll: authedProcedure.input(compareFilter).query(({ ctx, input }) => compareAll(ctx.db, ctx.actor, input)),
  overlay: authedProcedure
    .input(z.object({ serviceId: idSchema, promotionIds: z.array(idSchema).min(1, "refusals.fields.promotionMin").max(6) }))
    .query(({ ctx, input }) => serviceOverlay(ctx.db, ctx.actor, input.serviceId, input.promotionIds)),
  risks: authedProcedure
    .input(
      z.object({
        promotionId: idSchema,
        search: z.string().trim().max(100).optional(),
        atRiskOnly: z.boolean().default(false),
        page: pageNumberSchema.default(1),
        pageSize: z.number().int().min(1).max(200).default(50),
      }),
    )
    .query(({ ctx, input }) => riskList(ctx.db, ctx.actor, input)),
  backtest: authedProcedure.query(({ ctx }) => backtestSummary(ctx.db, ctx.actor)),
  settings: authedProcedure.query(({ ctx }) => loadPromotionSettings(ctx.db)),
  saveSettings: procedureFor("operate")
    .input(patchSchema(PROMOTION_SETTINGS))
    .mutation(({ ctx, input }) => savePromotionSettings(ctx.db, ctx.actor, input)),
});
