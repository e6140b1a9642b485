import { z } from "zod";

/** How often and how long: Setting "monitoring". */
export const monitoringSettingsSchema = z
  .object({
    intervalSec: z.number().int("use a whole number of seconds").min(1, "use 1–3,600 s").max(3600, "use 1–3,600 s"),
    rawRetentionDays: z.number().int("use a whole number of days").min(1, "use 1–30 days").max(30, "use 1–30 days"),
    minuteRetentionDays: z.number().int("use a whole number of days").min(1, "use 1–400 days").max(400, "use 1–400 days"),
    hourRetentionDays: z
      .number()
      .int("use a whole number of days")
      .min(365, "keep hours a year or more: promotions are compared year over year")
      .max(36_500, "use at most 36,500 days"),
    /** the address alert links point at (the console as people reach it) */
    publicUrl: z
      .string()
      .url("use an absolute URL such as https://hedwig.example.com")
      .refine((u) => /^https?:/.test(u), "use an http:// or https:// URL"),
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
