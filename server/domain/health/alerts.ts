import type { Prisma } from "../../../generated/prisma/client";
import type { Db, DbTx } from "../../db/client";
import { deliveryError, serviceLink, webhookBody, type AlertInput, type WebhookFormat } from "./webhook-payloads";
import type { Reason } from "./rules";
import { assertWebhookTarget, loadAllowedRanges, readLimited } from "./webhook-targets";

/** Attempts per incident and webhook; after that the delivery stays failed with its last error. */
export const MAX_ATTEMPTS = 5;
const SEND_TIMEOUT_MS = 5000;

/**
 * Opens an incident and queues its alerts: one delivery per enabled webhook of every product line
 * or of the service's own. A silence set on the service's
 * previous incident that has not run out carries over (a flapping service stays quiet for the time
 * the NOC asked); such an incident queues no delivery.
 */
export async function openIncidentEffects(db: Db, serviceId: number, reason: string, reasons: Reason[], now: Date): Promise<number> {
  return db.$transaction(async (tx) => {
    const service = await tx.service.findUniqueOrThrow({ where: { id: serviceId }, select: { name: true, productLineId: true } });
    const previous = await tx.incident.findFirst({ where: { serviceId, silencedUntil: { gt: now } }, orderBy: { id: "desc" }, select: { silencedUntil: true } });
    const incident = await tx.incident.create({
      data: { serviceId, openedAt: now, reason, reasons: reasons as Prisma.InputJsonValue, silencedUntil: previous?.silencedUntil ?? null },
    });
    if (!previous) {
      const hooks = await tx.alertWebhook.findMany({ where: { enabled: true, OR: [{ productLineId: null }, { productLineId: service.productLineId }] }, select: { id: true } });
      if (hooks.length) await tx.incidentDelivery.createMany({ data: hooks.map((h) => ({ incidentId: incident.id, webhookId: h.id, updatedAt: now })) });
    }
    return incident.id;
  });
}

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

const alertInput = (i: { id: number; openedAt: Date; reason: string; reasons: unknown; service: { id: number; name: string; productLine: { code: string } } }, publicUrl: string): AlertInput => ({
  incidentId: i.id,
  openedAt: i.openedAt,
  service: { id: i.service.id, name: i.service.name, productLine: i.service.productLine.code },
  reason: i.reason,
  reasons: (i.reasons ?? []) as Reason[],
  link: serviceLink(publicUrl, i.service.id),
});

/**
 * Sends the alerts still owed: once per incident and webhook, retried on the next ticks up to
 * MAX_ATTEMPTS. An incident silenced meanwhile is not sent (the NOC already knows). Records
 * notifiedAt (first delivery) and notifyError (the failures, or null) on the incident.
 */
export async function deliverAlerts(db: Db, now: Date, publicUrl: string): Promise<{ sent: number; failed: number }> {
  const owed = await db.incidentDelivery.findMany({
    where: { deliveredAt: null, attempts: { lt: MAX_ATTEMPTS }, webhook: { enabled: true } },
    include: { webhook: true, incident: { include: { service: { select: { id: true, name: true, productLine: { select: { code: true } } } } } } },
  });
  const allowed = await loadAllowedRanges(db);
  let sent = 0;
  let failed = 0;
  const touched = new Set<number>();
  await Promise.all(
    owed.map(async (d) => {
      touched.add(d.incidentId);
      if (d.incident.silencedUntil && d.incident.silencedUntil > now) {
        await db.incidentDelivery.update({ where: { incidentId_webhookId: { incidentId: d.incidentId, webhookId: d.webhookId } }, data: { attempts: MAX_ATTEMPTS, lastError: `not sent: silenced until ${d.incident.silencedUntil.toISOString()}`, updatedAt: now } });
        return;
      }
      const error = await postWebhook(d.webhook.url, d.webhook.format, webhookBody(d.webhook.format, alertInput(d.incident, publicUrl)), allowed);
      await db.incidentDelivery.update({
        where: { incidentId_webhookId: { incidentId: d.incidentId, webhookId: d.webhookId } },
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
  const errors = ds.filter((d) => !d.deliveredAt && d.lastError).map((d) => `${d.webhook.name}: ${d.lastError}${d.attempts >= MAX_ATTEMPTS ? " (gave up)" : ` (attempt ${d.attempts} of ${MAX_ATTEMPTS})`}`);
  await db.incident.update({
    where: { id: incidentId },
    data: { notifiedAt: delivered.length ? new Date(Math.min(...delivered)) : null, notifyError: errors.length ? errors.join("; ") : null },
  });
}

/** The settings page's "send test": a made-up incident in the webhook's format, sent now. */
export async function sendTestAlert(hook: { url: string; format: WebhookFormat; name: string }, publicUrl: string, allowedRanges: readonly string[]): Promise<{ ok: boolean; error: string | null }> {
  const body = webhookBody(hook.format, {
    incidentId: 0,
    openedAt: new Date(),
    service: { id: 0, name: "test-service", productLine: "test" },
    reason: `test alert from Hedwig to ${hook.name}: nothing is wrong`,
    reasons: [{ code: "test", level: "RED", message: `test alert from Hedwig to ${hook.name}: nothing is wrong` }],
    link: serviceLink(publicUrl, 0),
    test: true,
  });
  const error = await postWebhook(hook.url, hook.format, body, allowedRanges);
  return { ok: !error, error };
}

/** More incidents than this opened in one tick make one summary notice instead of one each (an IDC going dark). */
const NOTICES_PER_TICK = 5;

/** In-app notices to every DBA about the incidents a tick opened. */
export async function noticeDbas(db: DbTx, opened: { serviceId: number; name: string; reason: string }[]): Promise<void> {
  if (opened.length === 0) return;
  const dbas = await db.user.findMany({ where: { role: "DBA", disabled: false }, select: { id: true } });
  const notices =
    opened.length <= NOTICES_PER_TICK
      ? opened.map((o) => ({ title: `${o.name} is red`, body: o.reason, link: `/inventory/services/${o.serviceId}` }))
      : [{ title: `${opened.length} services turned red`, body: `${opened.slice(0, 5).map((o) => o.name).join(", ")} and ${opened.length - 5} more: ${opened[0]!.reason}`, link: "/inventory/services" }];
  if (dbas.length) await db.notification.createMany({ data: dbas.flatMap((u) => notices.map((n) => ({ userId: u.id, ...n }))) });
}
