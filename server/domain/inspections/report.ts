import { z } from "zod";
import fs from "node:fs";
import path from "node:path";
import { createTranslator } from "use-intl/core";
import { isLocale, type Locale } from "../../../i18n/locales";
import type { Db, DbTx } from "../../db/client";
import type { Actor } from "../access/actor";
import { recordAudit } from "../audit/record";
import { conflict, notFound } from "../errors";
import { postWebhook } from "../health/alerts";
import { loadIncidentSettings } from "../health/incident-settings";
import { loadAllowedRanges } from "../health/webhook-targets";
import { loadMonitoringSettings } from "../monitoring/settings-store";
import { loadSettings, type SettingsDef } from "../settings/store";
import { INSPECTION_SEVERITIES } from "./severities";
import { text } from "../../../lib/text";
import { log } from "../../log";
import { createJob } from "../../jobs/queue";
import type { Dispatcher } from "../requests/requests";
import { INSPECTION_KIND } from "./job";
import { runInspection } from "./run";

const settingsSchema = z
  .object({
    /** the daily inspection runs after this hour (UTC) */
    dailyHourUtc: z.number().int().min(0).max(23),
    daily: z.boolean(),
  })
  .strict();
export type InspectionSettings = z.infer<typeof settingsSchema>;
export const INSPECTION_SETTINGS: SettingsDef<InspectionSettings> = {
  key: "inspections",
  schema: settingsSchema,
  defaults: { dailyHourUtc: 1, daily: true },
  audit: { action: "settings.inspections", text: text("auditLog.settings.inspections") },
};

/** A run still going after this long died with its process. */
const STALE_MS = 15 * 60_000;

async function assertNoneRunning(db: DbTx) {
  const running = await db.inspectionRun.findFirst({ where: { finishedAt: null, startedAt: { gt: new Date(Date.now() - STALE_MS) } } });
  if (running) throw conflict(text("refusals.inspections.running", { id: running.id }));
}

/**
 * "Inspect now": the run row, its job and the audit line in one transaction (two DBAs at once: one
 * runs, the other is told); a worker runs the job and the report page follows the run.
 */
export async function startInspection(db: Db, actor: Actor, dispatch: Dispatcher) {
  const { run, job } = await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended('inspection.run', 0))`;
    await assertNoneRunning(tx);
    const run = await tx.inspectionRun.create({ data: { trigger: "MANUAL", byId: actor.id } });
    const job = await createJob(tx, { kind: INSPECTION_KIND, input: { runId: run.id }, createdById: actor.id });
    await recordAudit(tx, actor, {
      action: "inspection.run",
      entityType: "InspectionRun",
      entityId: run.id,
      text: text("auditLog.inspections.run"),
    });
    return { run, job };
  });
  await dispatch(job.id);
  return { id: run.id, jobId: job.id };
}

export async function listRuns(db: DbTx) {
  return db.inspectionRun.findMany({
    orderBy: { id: "desc" },
    take: 30,
    select: { id: true, trigger: true, startedAt: true, finishedAt: true, instances: true, services: true, counts: true, error: true },
  });
}

export const reportInput = z.object({
  runId: z.number().int().min(1).max(2_147_483_647).nullable().default(null),
  severity: z.enum(INSPECTION_SEVERITIES).nullable().default(null),
  code: z.string().max(50).nullable().default(null),
  page: z.number().int().min(1).max(10_000).default(1),
});
const PAGE = 100;

/** A run (the latest by default): counts by severity and by code, and a page of its findings, worst first. */
export async function inspectionReport(db: DbTx, input: z.infer<typeof reportInput>) {
  const run = input.runId ? await db.inspectionRun.findUnique({ where: { id: input.runId } }) : await db.inspectionRun.findFirst({ orderBy: { id: "desc" } });
  if (!run) {
    if (input.runId) throw notFound(text("refusals.notFound.inspection", { id: input.runId }));
    return null;
  }
  const byCode = await db.inspectionFinding.groupBy({ by: ["code", "severity"], where: { runId: run.id }, _count: true, orderBy: { code: "asc" } });
  const where = { runId: run.id, ...(input.severity ? { severity: input.severity } : {}), ...(input.code ? { code: input.code } : {}) };
  const [total, findings] = await Promise.all([
    db.inspectionFinding.count({ where }),
    db.inspectionFinding.findMany({ where, orderBy: [{ severity: "asc" }, { code: "asc" }, { id: "asc" }], skip: (input.page - 1) * PAGE, take: PAGE }),
  ]);
  return {
    run,
    byCode: byCode.map((c) => ({ code: c.code, severity: c.severity, count: c._count })),
    total,
    pageSize: PAGE,
    findings,
  };
}

const catalogs = new Map<Locale, Record<string, unknown>>();
function translator(locale: Locale) {
  let m = catalogs.get(locale);
  if (!m)
    catalogs.set(
      locale,
      (m = JSON.parse(fs.readFileSync(path.join(process.cwd(), "i18n/messages", locale, "inspections.json"), "utf8")) as Record<string, unknown>),
    );
  return createTranslator({ locale: locale === "zh" ? "zh-CN" : "en", messages: m }) as unknown as (
    key: string,
    params?: Record<string, string | number>,
  ) => string;
}

/** The daily summary a webhook gets: counts by severity and by check, in the webhook's language, with the report's link. */
export function summaryBody(
  format: "GENERIC" | "DINGTALK" | "WECOM",
  locale: Locale,
  run: { id: number; counts: Record<string, number>; byCode: { code: string; severity: string; count: number }[] },
  link: string,
) {
  const t = translator(locale);
  const title = t("summary.title", { id: run.id });
  const line = t("summary.counts", { critical: run.counts.CRITICAL ?? 0, warning: run.counts.WARNING ?? 0, info: run.counts.INFO ?? 0 });
  const codes = run.byCode.map((c) => `- [${c.severity}] ${t(`checks.${c.code}`)}: ${c.count}`);
  const markdown = [`### ${title}`, line, ...codes, `[${t("summary.open")}](${link})`].join("\n");
  if (format === "DINGTALK") return { msgtype: "markdown", markdown: { title, text: markdown } };
  if (format === "WECOM") return { msgtype: "markdown", markdown: { content: markdown } };
  return { event: "inspection.summary", runId: run.id, counts: run.counts, checks: run.byCode, title, text: [line, ...codes].join("\n"), link };
}

/** Sends a finished run's summary to every enabled webhook (fleet-wide ones: a summary has no single product line). */
export async function sendSummary(db: DbTx, runId: number) {
  const report = await inspectionReport(db, { runId, severity: null, code: null, page: 1 });
  if (!report) return 0;
  const [hooks, allowed, monitoring, incidents] = await Promise.all([
    db.alertWebhook.findMany({ where: { enabled: true, productLineId: null } }),
    loadAllowedRanges(db),
    loadMonitoringSettings(db),
    loadIncidentSettings(db),
  ]);
  const link = `${monitoring.publicUrl.replace(/\/+$/, "")}/inspections?run=${runId}`;
  let sent = 0;
  for (const h of hooks) {
    const locale = h.locale && isLocale(h.locale) ? h.locale : incidents.alertLocale;
    const error = await postWebhook(
      h.url,
      h.format,
      summaryBody(h.format, locale, { id: runId, counts: report.run.counts as Record<string, number>, byCode: report.byCode }, link),
      allowed,
    );
    if (error) log.warn({ webhook: h.name, error }, "a webhook refused the inspection summary");
    else sent++;
  }
  return sent;
}

let dailyRunning = false;

/** The leader's daily inspection: once a day after dailyHourUtc, then its summary to the webhooks. Not awaited by the tick. */
export async function dailyInspectionIfDue(db: Db, now: Date): Promise<number | null> {
  if (dailyRunning) return null;
  const s = await loadSettings(db, INSPECTION_SETTINGS);
  if (!s.daily || now.getUTCHours() < s.dailyHourUtc) return null;
  const dayStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), s.dailyHourUtc));
  if (await db.inspectionRun.findFirst({ where: { trigger: "DAILY", startedAt: { gte: dayStart } } })) return null;
  dailyRunning = true;
  try {
    const run = await runInspection(db, { trigger: "DAILY" });
    await sendSummary(db, run.id);
    return run.id;
  } finally {
    dailyRunning = false;
  }
}
