import { z } from "zod";

/** How often and how long: Setting "monitoring". Messages are codes of i18n/messages/*\/errors.json. */
export const monitoringSettingsSchema = z
  .object({
    intervalSec: z.number().int("errors.settings.wholeSeconds").min(1, "errors.settings.intervalSec").max(3600, "errors.settings.intervalSec"),
    rawRetentionDays: z.number().int("errors.settings.wholeDays").min(1, "errors.settings.rawRetentionDays").max(30, "errors.settings.rawRetentionDays"),
    minuteRetentionDays: z
      .number()
      .int("errors.settings.wholeDays")
      .min(1, "errors.settings.minuteRetentionDays")
      .max(400, "errors.settings.minuteRetentionDays"),
    hourRetentionDays: z.number().int("errors.settings.wholeDays").min(365, "errors.settings.hourRetentionMin").max(36_500, "errors.settings.hourRetentionMax"),
    /** the address alert links point at (the console as people reach it) */
    publicUrl: z
      .string()
      .url("errors.settings.absoluteUrl")
      .refine((u) => /^https?:/.test(u), "errors.settings.httpUrl"),
  })
  .strict();

export type MonitoringSettings = z.infer<typeof monitoringSettingsSchema>;

export const DEFAULT_MONITORING_SETTINGS: MonitoringSettings = {
  intervalSec: 10,
  rawRetentionDays: 2,
  minuteRetentionDays: 30,
  hourRetentionDays: 3650,
  publicUrl: process.env.NEXTAUTH_URL ?? `http://localhost:${process.env.PORT ?? 3000}`,
};
