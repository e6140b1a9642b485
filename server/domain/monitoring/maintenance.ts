import type { Db } from "../../db/client";
import { deleteOldRateWindows } from "../access/rate-limit";
import { log as rootLog } from "../../log";
import { deliverAlerts } from "../health/alerts";
import { runCanaries } from "../health/canary";
import { evaluateHealth } from "../health/evaluate";
import { escalateDue, recordAutomaticActions } from "../health/incident-store";
import { loadIncidentSettings } from "../health/incident-settings";
import { collectHostMetrics } from "../hostmetrics/collect";
import { recordHostHealth } from "../hosthealth/record";
import { dailyInspectionIfDue } from "../inspections/report";
import { loadHostMetricsSettings } from "../hostmetrics/settings";
import { applyHostRetention, rollupRecentHostHours } from "../hostmetrics/store";
import { Collector, type CollectorOptions } from "./collector";
import { probeHosts } from "./host-probe";
import { ensureSamplePartitions, PARTITION_DAYS_AHEAD } from "./partitions";
import { applyRetention } from "./retention";
import { rollupRecent } from "./rollups";
import { loadMonitoringSettings } from "./settings-store";

const RETENTION_EVERY_MS = 3_600_000;

/**
 * The leader's fleet-wide work after each tick: host probes, canaries through every service's
 * entry point, health and incidents (timeline, escalation), alerts owed,
 * the current minute's and hour's rollups, the API's past rate-limit windows; host metrics every hostMetrics.intervalSec; once an hour the raw samples' day tables ahead, and retention.
 */
export function fleetMaintenance(log: (line: string) => void = (l) => rootLog.info({ part: "monitoring" }, l), opts: { dailyInspection?: boolean } = {}) {
  let retentionAt = 0;
  let hostMetricsAt = 0;
  return async (db: Db, at: Date, intervalSec: number, stopping: () => boolean = () => false) => {
    const settings = await loadMonitoringSettings(db);
    // on a stop the rest waits for the next start: the database may be going away with the process
    const step = async (name: string, fn: () => Promise<unknown>) => {
      if (stopping()) return;
      const t0 = performance.now();
      try {
        await fn();
      } catch (e) {
        if (!stopping()) log(`${name} failed: ${(e as Error).message}`);
      }
      const ms = performance.now() - t0;
      if (ms > intervalSec * 500) log(`${name} took ${Math.round(ms)} ms, over half the poll interval`);
    };
    const incidents = await loadIncidentSettings(db);
    const hostMetrics = await loadHostMetricsSettings(db);
    const hostMetricsDue = at.getTime() - hostMetricsAt >= hostMetrics.intervalSec * 1000 - intervalSec * 500;
    if (hostMetricsDue) hostMetricsAt = at.getTime();
    await Promise.all([
      step("host probe", async () => (await probeHosts(db, at), await recordHostHealth(db, at))),
      step("canary", () => runCanaries(db, at, Math.min(2000, intervalSec * 400))),
      hostMetricsDue ? step("host metrics", async () => (await collectHostMetrics(db, at, hostMetrics), await rollupRecentHostHours(db, at))) : null,
    ]);
    await step("health", async () => {
      const run = await evaluateHealth(db, at, intervalSec);
      if (run.opened.length) log(`opened incident(s) ${run.opened.join(", ")}`);
      if (run.closed.length) log(`closed incident(s) ${run.closed.join(", ")}`);
    });
    await step("incident timeline", () => recordAutomaticActions(db, at));
    await step("escalation", () => escalateDue(db, at, incidents));
    await step("alerts", () => deliverAlerts(db, at, settings.publicUrl, incidents.alertLocale));
    await step("rollups", () => rollupRecent(db, at, intervalSec));
    // each tick, so the API's shared counts stay a few minutes' rows per caller
    await step("api rate windows", () => deleteOldRateWindows(db, at));
    // a whole fleet's inspection outlasts a tick: it runs beside the next ones
    if (opts.dailyInspection && !stopping()) void dailyInspectionIfDue(db, at).catch((e: Error) => log(`daily inspection failed: ${e.message}`));
    if (Date.now() - retentionAt > RETENTION_EVERY_MS) {
      retentionAt = Date.now();
      // the raw samples' day tables for the next days, before anyone writes there
      await step("partitions", () => ensureSamplePartitions(db, at, new Date(at.getTime() + PARTITION_DAYS_AHEAD * 86_400_000)));
      await step("retention", () => applyRetention(db, at, settings));
      await step("host metrics retention", () => applyHostRetention(db, at, settings));
    }
  };
}

/** The collector as a worker process runs it: polling its share, and the fleet-wide work when it leads. */
export function startMonitoring(db: Db, opts: Omit<CollectorOptions, "maintenance"> = {}): Collector {
  // the worker's leader, not a test's ticks, sends the daily inspection's summary to the webhooks
  return new Collector(db, { ...opts, maintenance: fleetMaintenance(opts.log, { dailyInspection: true }) }).start();
}
