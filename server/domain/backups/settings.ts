import { z } from "zod";
import type { Db, DbTx } from "../../db/client";
import type { Actor } from "../access/actor";
import { loadSettings, saveSettings, type SettingsDef, type SettingsPatch } from "../settings/store";
import { text } from "../../../lib/text";

const hours = z.number().int("use a whole number of hours").min(0, "use 0–720 hours (0: no schedule)").max(720, "use 0–720 hours (0: no schedule)");

/** Backups: Setting "backups". A service's own `backupEveryHours` overrides its importance's default. */
export const backupSettingsSchema = z
  .object({
    /** hours between scheduled backups, by the product line's importance (stars); 0: none */
    hoursByImportance: z.object({ 1: hours, 2: hours, 3: hours, 4: hours, 5: hours }).strict(),
    /** a backup older than this is deleted from the store (its row stays, marked expired) */
    retentionDays: z.number().int("use a whole number of days").min(1, "use 1–3650 days").max(3650, "use 1–3650 days"),
    /** the newest ones kept whatever their age, so a service whose backups stopped still has something to restore */
    keepAtLeast: z.number().int("use a whole number").min(1, "keep 1–100 backups").max(100, "keep 1–100 backups"),
    /** a service turns amber when its last good backup is older than its interval × this */
    lateFactor: z.number().min(1, "use 1–10").max(10, "use 1–10"),
  })
  .strict();

export type BackupSettings = z.infer<typeof backupSettingsSchema>;

export const DEFAULT_BACKUP_SETTINGS: BackupSettings = {
  hoursByImportance: { 1: 168, 2: 72, 3: 24, 4: 12, 5: 6 },
  retentionDays: 7,
  keepAtLeast: 3,
  lateFactor: 1.5,
};

export const BACKUP_SETTINGS: SettingsDef<BackupSettings> = {
  key: "backups",
  schema: backupSettingsSchema,
  defaults: DEFAULT_BACKUP_SETTINGS,
  audit: { action: "settings.backups", text: text("auditLog.settings.backups") },
};

export const loadBackupSettings = (db: DbTx) => loadSettings(db, BACKUP_SETTINGS);
export const saveBackupSettings = (db: Db, actor: Actor, patch: SettingsPatch<BackupSettings>) => saveSettings(db, actor, BACKUP_SETTINGS, patch);

/** A service's interval in hours (0: not scheduled): its own, else its importance's. */
export function intervalHours(s: BackupSettings, service: { backupEveryHours: number | null; importance: number }): number {
  if (service.backupEveryHours !== null) return service.backupEveryHours;
  const stars = Math.min(5, Math.max(1, service.importance)) as 1 | 2 | 3 | 4 | 5;
  return s.hoursByImportance[stars];
}
