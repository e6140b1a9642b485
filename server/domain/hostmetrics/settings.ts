import { z } from "zod";
import type { Db, DbTx } from "../../db/client";
import type { Actor } from "../access/actor";
import { DEFAULT_LAYOUT } from "../provisioning/layout";
import { loadSettings, saveSettings, type SettingsDef, type SettingsPatch } from "../settings/store";
import { text } from "../../../lib/text";

/** Host metrics: how often each host is read, how many at once, and where its data and logs live. */
const schema = z
  .object({
    intervalSec: z.number().int().min(10).max(3600),
    concurrency: z.number().int().min(1).max(256),
    /** host paths whose filesystems are measured (the deployment standard's data and log roots) */
    dataPath: z.string().min(1).max(500).regex(/^\//),
    logPath: z.string().min(1).max(500).regex(/^\//),
  })
  .strict();

export type HostMetricsSettings = z.infer<typeof schema>;

export const HOST_METRICS_SETTINGS: SettingsDef<HostMetricsSettings> = {
  key: "hostMetrics",
  schema,
  defaults: { intervalSec: 60, concurrency: 16, dataPath: `${DEFAULT_LAYOUT.root}/data`, logPath: `${DEFAULT_LAYOUT.root}/log` },
  audit: { action: "settings.hostMetrics", text: text("auditLog.settings.hostMetrics") },
};

export const loadHostMetricsSettings = (db: DbTx) => loadSettings(db, HOST_METRICS_SETTINGS);
export const saveHostMetricsSettings = (db: Db, actor: Actor, patch: SettingsPatch<HostMetricsSettings>) =>
  saveSettings(db, actor, HOST_METRICS_SETTINGS, patch);
