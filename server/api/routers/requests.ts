import { z } from "zod";
import { idSchema, pageNumberSchema } from "../../domain/bounds";
import { dispatchJob } from "../../jobs/dispatcher";
import { planAdjustmentSchema, requestFormSchema } from "../../domain/provisioning/request-schema";
import { previewApproval } from "../../domain/requests/approval";
import {
  approveRequest,
  createRequest,
  getRequest,
  listRequests,
  previewPlan,
  rejectRequest,
  retryRequest,
  simpleMove,
} from "../../domain/requests/requests";
import { DEFAULT_SIZING_SETTINGS } from "../../domain/provisioning/sizing-settings";
import { loadSizingSettings, saveSizingSettings } from "../../domain/requests/sizing-store";
import { authedProcedure, createTRPCRouter, roleProcedure } from "../trpc";

// Only the settings' own names; their values are checked by resolveSizingSettings, which says what is wrong.
const byImportance = z.object({ 1: z.number(), 2: z.number(), 3: z.number(), 4: z.number(), 5: z.number() }).partial();
const sizingSettingsSchema = z
  .object(
    Object.fromEntries(
      Object.entries(DEFAULT_SIZING_SETTINGS).map(([k, v]) => [k, (typeof v === "object" ? byImportance : z.number()).optional()]),
    ) as Record<keyof typeof DEFAULT_SIZING_SETTINGS, z.ZodOptional<z.ZodNumber>>,
  )
  .strict();

const idInput = z.object({ id: idSchema });
/** Who may ask for resources: business teams, and DBAs or ADMINs on their behalf. NOC only watches. */
const requester = roleProcedure("BUSINESS", "DBA", "ADMIN");
const dba = roleProcedure("DBA", "ADMIN");

export const requestsRouter = createTRPCRouter({
  /** The IDCs a requester may prefer; topology.idcs is the fleet's (NOC and up), this is just the names. */
  idcs: requester.query(({ ctx }) => ctx.db.idc.findMany({ select: { id: true, code: true, name: true }, orderBy: { code: "asc" } })),
  preview: requester.input(requestFormSchema).query(({ ctx, input }) => previewPlan(ctx.db, ctx.actor, input)),
  create: requester
    .input(z.object({ form: requestFormSchema, submit: z.boolean().default(true) }))
    .mutation(({ ctx, input }) => ctx.db.$transaction((tx) => createRequest(tx, ctx.actor, input.form, input.submit))),
  list: authedProcedure
    .input(
      z.object({
        status: z.enum(["DRAFT", "SUBMITTED", "APPROVED", "REJECTED", "PROVISIONING", "DELIVERED", "FAILED", "CANCELLED"]).optional(),
        mine: z.boolean().optional(),
        productLineId: idSchema.optional(),
        page: pageNumberSchema.default(1),
        pageSize: z.number().int().min(1).max(200).default(50),
      }),
    )
    .query(({ ctx, input }) => listRequests(ctx.db, ctx.actor, input)),
  get: authedProcedure.input(idInput).query(({ ctx, input }) => getRequest(ctx.db, ctx.actor, input.id)),
  submit: requester.input(idInput).mutation(({ ctx, input }) => simpleMove(ctx.db, ctx.actor, input.id, "submit")),
  withdraw: requester.input(idInput).mutation(({ ctx, input }) => simpleMove(ctx.db, ctx.actor, input.id, "withdraw")),
  cancel: requester.input(idInput).mutation(({ ctx, input }) => simpleMove(ctx.db, ctx.actor, input.id, "cancel")),
  /** The plan as adjusted, and where a dry run of the scheduler would place it now. */
  previewApproval: dba
    .input(idInput.extend({ adjust: planAdjustmentSchema.default({}) }))
    .query(({ ctx, input }) => previewApproval(ctx.db, ctx.actor, input.id, input.adjust)),
  approve: dba
    .input(idInput.extend({ comment: z.string().trim().max(1000).nullable().default(null), adjust: planAdjustmentSchema.default({}) }))
    .mutation(({ ctx, input }) => approveRequest(ctx.db, ctx.actor, input.id, input.comment, dispatchJob, input.adjust)),
  reject: dba
    .input(idInput.extend({ comment: z.string().trim().min(5, "say why, so the requester can change the request (at least 5 characters)").max(1000) }))
    .mutation(({ ctx, input }) => rejectRequest(ctx.db, ctx.actor, input.id, input.comment)),
  sizingSettings: dba.query(({ ctx }) => loadSizingSettings(ctx.db)),
  saveSizingSettings: dba
    .input(sizingSettingsSchema)
    .mutation(({ ctx, input }) => ctx.db.$transaction((tx) => saveSizingSettings(tx, ctx.actor, input as never))),
  retry: dba.input(idInput).mutation(({ ctx, input }) => retryRequest(ctx.db, ctx.actor, input.id, dispatchJob)),
});
