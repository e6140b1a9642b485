import { z } from "zod";
import { idSchema } from "../../domain/bounds";
import { listBackups, restorePreview, setBackupSchedule, submitBackup, submitRestore } from "../../domain/backups/backups";
import { BACKUP_SETTINGS, DEFAULT_BACKUP_SETTINGS, loadBackupSettings, saveBackupSettings } from "../../domain/backups/settings";
import { patchSchema } from "../../domain/settings/store";
import { dispatchJob } from "../../jobs/dispatcher";
import { authedProcedure, createTRPCRouter, procedureFor } from "../trpc";

const service = z.object({ serviceId: idSchema });

/** Backups and restores: anyone who sees the service reads its list; DBAs and ADMINs back up, restore and set the schedule. */
export const backupsRouter = createTRPCRouter({
  list: authedProcedure.input(service).query(({ ctx, input }) => listBackups(ctx.db, ctx.actor, input.serviceId)),
  create: procedureFor("operate")
    .input(service)
    .mutation(({ ctx, input }) => submitBackup(ctx.db, ctx.actor, input.serviceId, dispatchJob)),
  /** what an in-place restore loses, for its confirmation */
  preview: procedureFor("operate")
    .input(z.object({ backupId: idSchema }))
    .query(({ ctx, input }) => restorePreview(ctx.db, ctx.actor, input.backupId)),
  restore: procedureFor("operate")
    .input(z.object({ backupId: idSchema, targetServiceId: idSchema.optional(), confirm: z.string().max(200).optional() }))
    .mutation(({ ctx, input }) => submitRestore(ctx.db, ctx.actor, input, dispatchJob)),
  setSchedule: procedureFor("operate")
    .input(service.extend({ everyHours: z.number().int().min(0, "use 0–720 hours (0: no schedule)").max(720, "use 0–720 hours (0: no schedule)").nullable() }))
    .mutation(({ ctx, input }) => setBackupSchedule(ctx.db, ctx.actor, input.serviceId, input.everyHours)),
  settings: procedureFor("operate").query(async ({ ctx }) => ({ settings: await loadBackupSettings(ctx.db), defaults: DEFAULT_BACKUP_SETTINGS })),
  saveSettings: procedureFor("operate")
    .input(patchSchema(BACKUP_SETTINGS))
    .mutation(({ ctx, input }) => saveBackupSettings(ctx.db, ctx.actor, input)),
});
