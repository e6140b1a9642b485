import { z } from "zod";
import { idSchema } from "../../domain/bounds";
import { acknowledgeIncident, SILENCE_MAX_MINUTES, silenceIncident } from "../../domain/health/acknowledge";
import { loadBoard } from "../../domain/health/board";
import { boardOut, incidentAckOut, rest, typed } from "../openapi-schemas";
import { authedProcedure, createTRPCRouter, procedureFor } from "../trpc";

/** The NOC board: everyone reads (BUSINESS scoped in the domain); NOC, DBA and ADMIN acknowledge and silence. */
const serviceId = idSchema;
const note = z.string().trim().max(500, "refusals.fields.noteMax500");

export const boardRouter = createTRPCRouter({
  get: authedProcedure
    .meta(rest("GET", "/board", "The NOC board: product lines worst first, red and amber services with their reasons", ["services"]))
    .output(typed(boardOut, loadBoard))
    .query(({ ctx }) => loadBoard(ctx.db, ctx.actor)),
  acknowledge: procedureFor("acknowledge")
    .meta(rest("POST", "/services/{serviceId}/acknowledge", "Acknowledge the service's open incident, saying what you are doing", ["alerts"]))
    .output(typed(incidentAckOut, acknowledgeIncident))
    .input(z.object({ serviceId, note: note.min(1, "refusals.fields.ackNote") }))
    .mutation(({ ctx, input }) => acknowledgeIncident(ctx.db, ctx.actor, input)),
  silence: procedureFor("acknowledge")
    .meta(rest("POST", "/services/{serviceId}/silence", "Silence the service's open incident for some minutes (0 lifts it); also acknowledges", ["alerts"]))
    .output(typed(incidentAckOut, silenceIncident))
    .input(
      z.object({
        serviceId,
        minutes: z.number().int().min(0, "refusals.fields.minutesNegative").max(SILENCE_MAX_MINUTES, "refusals.fields.silenceMax"),
        note: note.optional(),
      }),
    )
    .mutation(({ ctx, input }) => silenceIncident(ctx.db, ctx.actor, input)),
});
