import { isLocale } from "../../../i18n/locales";
import type { Db, DbTx } from "../../db/client";
import { deliveryError, incidentLink, webhookBody, type AlertInput, type WebhookFormat } from "./webhook-payloads";
import type { WebhookEvent } from "./incident-store";
import { healthText } from "./text";
import type { Reason } from "./rules";
import { assertWebhookTarget, loadAllowedRanges, readLimited } from "./webhook-targets";

/** Attempts per incident and webhook; after that the delivery stays failed with its last error. */
export const MAX_ATTEMPTS = 5;
const SEND_TIMEOUT_MS = 5000;

/** POSTs one body; the error in words, or null when delivered. */
export async function postWebhook(url: string, format: WebhookFormat, body: unknown, allowedRanges: readonly string[]): Promise<string | null> {
  try {
    // Checked at every send, not only when saved: the name may resolve elsewhere now.
    await assertWebhookTarget(url, allowedRanges);
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
      redirect: "manual",
    });
    return deliveryError(format, res.status, await readLimited(res).catch(() => ""));
  } catch (e) {
    const err = e as Error & { cause?: { code?: string } };
    return err.name === "TimeoutError" ? `no answer within ${SEND_TIMEOUT_MS / 1000} s` : `${err.message}${err.cause?.code ? ` (${err.cause.code})` : ""}`;
  }
}

type IncidentForAlert = {
  id: number;
  openedAt: Date;
  closedAt: Date | null;
  escalatedAt: Date | null;
  reasons: unknown;
  host: { ip: string } | null;
  events: { code: string; params: unknown }[];
  services: { service: { id: number; name: string; productLine: { code: string } } }[];
};

/** What one webhook says about one event of an incident, in the alert language, with the duration as of now. */
export function alertInput(i: IncidentForAlert, event: WebhookEvent, publicUrl: string, locale: "en" | "zh", now: Date): AlertInput {
  const text = healthText(locale, now);
  const services = i.services.map((x) => ({ id: x.service.id, name: x.service.name, productLine: x.service.productLine.code }));
  const subject = i.host ? i.host.ip : (services[0]?.name ?? `#${i.id}`);
  const code = event === "opened" ? (i.host ? "host_incident_opened" : "incident_opened") : event === "escalated" ? "incident_escalated" : "incident_resolved";
  const opened = i.events.find((e) => e.code === "opened" || e.code === "host_opened");
  const escalated = i.events.find((e) => e.code === "escalated");
  const params = {
    ...((opened?.params ?? {}) as Record<string, unknown>),
    ...(event === "escalated" ? ((escalated?.params ?? {}) as Record<string, unknown>) : {}),
    service: subject,
    openedAt: i.openedAt.toISOString(),
    ...(event === "resolved" && i.closedAt
      ? { closedAt: i.closedAt.toISOString(), durationSec: Math.round((i.closedAt.getTime() - i.openedAt.getTime()) / 1000) }
      : {}),
  };
  const { title, body } = text.notice({ code, params });
  const reasons = ((i.reasons ?? []) as Reason[]).filter((r) => r.level === "RED" || r.level === "AMBER").slice(0, 10);
  return {
    event,
    incidentId: i.id,
    openedAt: i.openedAt,
    closedAt: i.closedAt,
    host: i.host?.ip ?? null,
    services,
    title,
    text: body,
    ref: text.t("webhookRef", { id: i.id }),
    reasons: reasons.map((r) => ({ code: r.code, level: r.level, params: r.params, text: text.reason(r) })),
    link: incidentLink(publicUrl, i.id),
  };
}

/**
 * Sends the alerts still owed: once per incident, webhook and event (opened, escalated, resolved),
 * retried on the next ticks up to MAX_ATTEMPTS. An incident silenced meanwhile is not sent (the NOC
 * already knows). Records notifiedAt (first delivery) and notifyError (the failures, or null).
 */
/** `locale`: the language of webhooks that do not choose their own. */
export async function deliverAlerts(db: Db, now: Date, publicUrl: string, locale: "en" | "zh" = "en"): Promise<{ sent: number; failed: number }> {
  const owed = await db.incidentDelivery.findMany({
    where: { deliveredAt: null, attempts: { lt: MAX_ATTEMPTS }, webhook: { enabled: true } },
    include: {
      webhook: true,
      incident: {
        include: {
          host: { select: { ip: true } },
          events: { where: { code: { in: ["opened", "host_opened", "escalated"] } }, select: { code: true, params: true } },
          services: { select: { service: { select: { id: true, name: true, productLine: { select: { code: true } } } } } },
        },
      },
    },
  });
  const allowed = await loadAllowedRanges(db);
  let sent = 0;
  let failed = 0;
  const touched = new Set<number>();
  const key = (d: { incidentId: number; webhookId: number; event: string }) => ({
    incidentId_webhookId_event: { incidentId: d.incidentId, webhookId: d.webhookId, event: d.event },
  });
  await Promise.all(
    owed.map(async (d) => {
      touched.add(d.incidentId);
      if (d.event !== "resolved" && d.incident.silencedUntil && d.incident.silencedUntil > now) {
        await db.incidentDelivery.update({
          where: key(d),
          data: { attempts: MAX_ATTEMPTS, lastError: `not sent: silenced until ${d.incident.silencedUntil.toISOString()}`, updatedAt: now },
        });
        return;
      }
      const error = await postWebhook(
        d.webhook.url,
        d.webhook.format,
        webhookBody(
          d.webhook.format,
          alertInput(d.incident, d.event as WebhookEvent, publicUrl, isLocale(d.webhook.locale) ? d.webhook.locale : locale, new Date()),
        ),
        allowed,
      );
      await db.incidentDelivery.update({
        where: key(d),
        data: { attempts: { increment: 1 }, deliveredAt: error ? null : new Date(), lastError: error, updatedAt: new Date() },
      });
      if (error) failed++;
      else sent++;
    }),
  );
  for (const incidentId of touched) await summarize(db, incidentId);
  return { sent, failed };
}

/** Incident.notifiedAt / notifyError from its deliveries. */
async function summarize(db: DbTx, incidentId: number) {
  const ds = await db.incidentDelivery.findMany({ where: { incidentId }, include: { webhook: { select: { name: true } } } });
  const delivered = ds.filter((d) => d.deliveredAt).map((d) => d.deliveredAt!.getTime());
  const errors = ds
    .filter((d) => !d.deliveredAt && d.lastError)
    .map((d) => `${d.webhook.name}: ${d.lastError}${d.attempts >= MAX_ATTEMPTS ? " (gave up)" : ` (attempt ${d.attempts} of ${MAX_ATTEMPTS})`}`);
  await db.incident.update({
    where: { id: incidentId },
    data: { notifiedAt: delivered.length ? new Date(Math.min(...delivered)) : null, notifyError: errors.length ? errors.join("; ") : null },
  });
}

/** The settings page's "send test": a made-up incident in the webhook's format, sent now. */
export async function sendTestAlert(
  hook: { url: string; format: WebhookFormat; name: string },
  publicUrl: string,
  allowedRanges: readonly string[],
): Promise<{ ok: boolean; error: string | null }> {
  const body = webhookBody(hook.format, {
    event: "opened",
    incidentId: 0,
    openedAt: new Date(),
    closedAt: null,
    host: null,
    services: [{ id: 0, name: "test-service", productLine: "test" }],
    title: `test alert from Hedwig to ${hook.name}`,
    text: "nothing is wrong",
    ref: "incident #0",
    reasons: [],
    link: incidentLink(publicUrl, 0),
    test: true,
  });
  const error = await postWebhook(hook.url, hook.format, body, allowedRanges);
  return { ok: !error, error };
}
