import { renderIn } from "../../../i18n/load";
import { isLocale } from "../../../i18n/locales";
import { text } from "../../../lib/text";
import type { Db } from "../../db/client";
import { noticeDbas } from "../healing/escalation";
import { postWebhook } from "../health/alerts";
import { loadIncidentSettings } from "../health/incident-settings";
import { webhookBody } from "../health/webhook-payloads";
import { loadAllowedRanges } from "../health/webhook-targets";
import { loadMonitoringSettings } from "../monitoring/settings-store";
import { log } from "../../log";

/**
 * A failed backup tells the DBAs (an in-app notice) and the webhooks of its product line (and of
 * every line) at once: unlike a red service it opens no incident, so nothing else would send it.
 */
export async function alertBackupFailed(db: Db, backupId: number): Promise<{ sent: number; failed: number }> {
  const b = await db.backup.findUniqueOrThrow({
    where: { id: backupId },
    include: { service: { select: { id: true, name: true, productLineId: true, productLine: { select: { code: true } } } } },
  });
  const params = { service: b.service.name, backup: b.id, error: (b.error ?? "").slice(0, 300) };
  const link = `/inventory/services/${b.service.id}`;
  await db.$transaction((tx) => noticeDbas(tx, { code: "backups.notices.failed", params, link }));
  const hooks = await db.alertWebhook.findMany({
    where: { enabled: true, OR: [{ productLineId: null }, { productLineId: b.service.productLineId }] },
  });
  if (hooks.length === 0) return { sent: 0, failed: 0 };
  const [allowed, settings, monitoring] = await Promise.all([loadAllowedRanges(db), loadIncidentSettings(db), loadMonitoringSettings(db)]);
  let sent = 0;
  let failed = 0;
  for (const h of hooks) {
    const locale = isLocale(h.locale) ? h.locale : settings.alertLocale;
    const say = (code: "backups.notices.failed.title" | "backups.notices.failed.body") => renderIn(locale, text(code, params));
    const body = webhookBody(h.format, {
      event: "opened",
      kind: "backup.failed",
      incidentId: 0,
      openedAt: b.finishedAt ?? new Date(),
      closedAt: null,
      host: null,
      services: [{ id: b.service.id, name: b.service.name, productLine: b.service.productLine.code }],
      title: say("backups.notices.failed.title"),
      text: say("backups.notices.failed.body"),
      ref: renderIn(locale, text("backups.alert.ref", { backup: b.id })),
      reasons: [],
      link: `${monitoring.publicUrl.replace(/\/+$/, "")}${link}`,
    });
    const error = await postWebhook(h.url, h.format, body, allowed);
    if (error) {
      failed++;
      log.warn({ webhook: h.name, backup: b.id, error }, "a webhook refused a backup alert");
    } else sent++;
  }
  return { sent, failed };
}
