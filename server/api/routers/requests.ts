import { z } from "zod";
import { RequestStatus } from "../../../generated/prisma/enums";
import { idSchema, pageNumberSchema } from "../../domain/bounds";
import { dispatchJob } from "../../jobs/dispatcher";
import { planAdjustmentSchema, requestFormSchema } from "../../domain/provisioning/request-schema";
import { previewApproval } from "../../domain/requests/approval";
import { approveRequest, createRequest, getRequest, listRequests, previewPlan, rejectRequest, retryRequest, simpleMove } from "../../domain/requests/requests";
import { loadSizingSettings, saveSizingSettings, SIZING_SETTINGS } from "../../domain/requests/sizing-store";
import { patchSchema } from "../../domain/settings/store";
import { jobOut, pageOf, requestOut, rest, typed } from "../openapi-schemas";
import { authedProcedure, createTRPCRouter, procedureFor } from "../trpc";

const idInput = z.object({ id: idSchema });
/** Who may ask for resources: business teams, and DBAs or ADMINs on their behalf. NOC only watches. */

export const requestsRouter = createTRPCRouter({
  /** The IDCs a requester may prefer; topology.idcs is the fleet's (NOC and up), this is just the names. */
  idcs: procedureFor("request").query(({ ctx }) => ctx.db.idc.findMany({ select: { id: true, code: true, name: true }, orderBy: { code: "asc" } })),
  preview: procedureFor("request")
    .input(requestFormSchema)
    .query(({ ctx, input }) => previewPlan(ctx.db, ctx.actor, input)),
  create: procedureFor("request")
    .meta(rest("POST", "/requests", "Ask for a cache service (submitted unless submit is false)", ["requests"]))
    .output(typed(requestOut, createRequest))
    .input(z.object({ form: requestFormSchema, submit: z.boolean().default(true) }))
    .mutation(({ ctx, input }) => createRequest(ctx.db, ctx.actor, input.form, input.submit)),
  list: authedProcedure
    .meta(rest("GET", "/requests", "List requests (paged; filter by status, mine, productLineId)", ["requests"]))
    .output(typed(pageOf(requestOut), listRequests))
    .input(
      z.object({
        status: z.enum(RequestStatus).optional(),
        mine: z.boolean().optional(),
        productLineId: idSchema.optional(),
        page: pageNumberSchema.default(1),
        pageSize: z.number().int().min(1).max(200).default(50),
      }),
    )
    .query(({ ctx, input }) => listRequests(ctx.db, ctx.actor, input)),
  get: authedProcedure
    .meta(rest("GET", "/requests/{id}", "A request with its plan and jobs", ["requests"]))
    .output(typed(requestOut, getRequest))
    .input(idInput)
    .query(({ ctx, input }) => getRequest(ctx.db, ctx.actor, input.id)),
  submit: procedureFor("request")
    .input(idInput)
    .mutation(({ ctx, input }) => simpleMove(ctx.db, ctx.actor, input.id, "submit")),
  withdraw: procedureFor("request")
    .input(idInput)
    .mutation(({ ctx, input }) => simpleMove(ctx.db, ctx.actor, input.id, "withdraw")),
  cancel: procedureFor("request")
    .input(idInput)
    .mutation(({ ctx, input }) => simpleMove(ctx.db, ctx.actor, input.id, "cancel")),
  /** The plan as adjusted, and where a dry run of the scheduler would place it now. */
  previewApproval: procedureFor("operate")
    .input(idInput.extend({ adjust: planAdjustmentSchema.default({}) }))
    .query(({ ctx, input }) => previewApproval(ctx.db, ctx.actor, input.id, input.adjust)),
  approve: procedureFor("operate")
    .meta(rest("POST", "/requests/{id}/approve", "Approve a request; returns its provisioning job", ["requests"]))
    .output(typed(jobOut, approveRequest))
    .input(idInput.extend({ comment: z.string().trim().max(1000).nullable().default(null), adjust: planAdjustmentSchema.default({}) }))
    .mutation(({ ctx, input }) => approveRequest(ctx.db, ctx.actor, input.id, input.comment, dispatchJob, input.adjust)),
  reject: procedureFor("operate")
    .meta(rest("POST", "/requests/{id}/reject", "Reject a request, saying why", ["requests"]))
    .output(typed(requestOut, rejectRequest))
    .input(idInput.extend({ comment: z.string().trim().min(5, "refusals.fields.rejectComment").max(1000) }))
    .mutation(({ ctx, input }) => rejectRequest(ctx.db, ctx.actor, input.id, input.comment)),
  sizingSettings: procedureFor("operate").query(({ ctx }) => loadSizingSettings(ctx.db)),
  saveSizingSettings: procedureFor("operate")
    .input(patchSchema(SIZING_SETTINGS))
    .mutation(({ ctx, input }) => saveSizingSettings(ctx.db, ctx.actor, input)),
  retry: procedureFor("operate")
    .input(idInput)
    .mutation(({ ctx, input }) => retryRequest(ctx.db, ctx.actor, input.id, dispatchJob)),
});
