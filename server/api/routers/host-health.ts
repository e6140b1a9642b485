import { z } from "zod";
import { crashGroups, crashList, GROUP_BY, groupsInput, healthTrends, rangeInput } from "../../domain/hosthealth/analysis";
import { createTRPCRouter, procedureFor } from "../trpc";

/** Host health over time and the crash analysis (the fleet's readers). */
export const hostHealthRouter = createTRPCRouter({
  trends: procedureFor("readFleet")
    .input(rangeInput)
    .query(({ ctx, input }) => healthTrends(ctx.db, input)),
  groups: procedureFor("readFleet")
    .input(groupsInput)
    .query(({ ctx, input }) => crashGroups(ctx.db, input)),
  crashes: procedureFor("readFleet")
    .input(rangeInput.extend({ by: z.enum(GROUP_BY).optional(), key: z.string().max(200).nullable().optional() }))
    .query(({ ctx, input }) => crashList(ctx.db, input)),
});
