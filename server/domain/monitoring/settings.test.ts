import { english } from "../../../i18n/load";
import { describe, expect, it } from "vitest";
import { resolveStored } from "../settings/store";
import { DEFAULT_MONITORING_SETTINGS, monitoringSettingsSchema } from "./settings";
import { MONITORING_SETTINGS } from "./settings-store";

const resolveMonitoringSettings = (stored: unknown) => resolveStored(MONITORING_SETTINGS, stored);

describe("monitoring settings", () => {
  it("defaults: 10 s polls, raw 2 days, minutes 30 days, hours 10 years", () => {
    expect(resolveMonitoringSettings(undefined)).toMatchObject({ intervalSec: 10, rawRetentionDays: 2, minuteRetentionDays: 30, hourRetentionDays: 3650 });
  });
  it("a stored value that no longer validates falls back to its default, the others stay", () => {
    expect(resolveMonitoringSettings({ intervalSec: 0, rawRetentionDays: 3, bogus: 1 })).toEqual({ ...DEFAULT_MONITORING_SETTINGS, rawRetentionDays: 3 });
  });
  it("refuses hours kept less than a year, with the reason", () => {
    const r = monitoringSettingsSchema.safeParse({ ...DEFAULT_MONITORING_SETTINGS, hourRetentionDays: 90 });
    expect(english({ code: r.error!.issues[0]!.message })).toBe("keep hours a year or more: promotions are compared year over year");
  });
});
