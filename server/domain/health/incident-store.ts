import type { Prisma } from "../../../generated/prisma/client";
import type { Db, DbTx } from "../../db/client";
import { escalationDue, headline } from "./incidents";
import type { IncidentSettings } from "./incident-settings";
import { pagingReasons, type Reason } from "./rules";
import { healthText } from "./text";

/**
 * An incident's life in the database: opened (for a service, or for a host with every service on
 * it), its timeline, escalated, resolved; each step tells the DBAs and the business users of the
 * product lines it touches (in-app notices as codes) and queues the webhooks of those lines.
 */

export type EventKind =
  | "opened"
  | "host_opened"
  | "reason"
  | "automatic_started"
  | "automatic_succeeded"
  | "automatic_failed"
  | "acknowledged"
  | "silenced"
  | "escalated"
  | "resolved";
export const EVENT_CODES: EventKind[] = [
  "opened",
  "host_opened",
  "reason",
  "automatic_started",
  "automatic_succeeded",
  "automatic_failed",
  "acknowledged",
  "silenced",
  "escalated",
  "resolved",
];
export const NOTICE_CODES = ["incident_opened", "host_incident_opened", "incident_escalated", "incident_resolved"] as const;
export type NoticeCode = (typeof NOTICE_CODES)[number];
export type WebhookEvent = "opened" | "escalated" | "resolved";

export type ServiceRef = { id: number; name: string; productLineId: number; importance: number };

export async function addEvent(
  db: DbTx,
  incidentId: number,
  at: Date,
  kind: EventKind,
  params: Record<string, unknown>,
  extra: { jobId?: string; userId?: number } = {},
) {
  await db.incidentEvent.create({
    data: { incidentId, at, kind, code: kind, params: params as Prisma.InputJsonValue, jobId: extra.jobId ?? null, userId: extra.userId ?? null },
  });
}

/** DBAs (and ADMINs on escalation) and the BUSINESS members of the product lines. */
async function recipients(db: DbTx, productLineIds: number[], withAdmins: boolean): Promise<number[]> {
  const users = await db.user.findMany({
    where: {
      disabled: false,
      OR: [{ role: { in: withAdmins ? ["DBA", "ADMIN"] : ["DBA"] } }, { role: "BUSINESS", memberships: { some: { productLineId: { in: productLineIds } } } }],
    },
    select: { id: true },
  });
  return users.map((u) => u.id);
}

/** In-app notices: the code and parameters for the page, the English beside them for logs. */
export async function notify(
  db: DbTx,
  now: Date,
  code: NoticeCode,
  params: Record<string, unknown>,
  productLineIds: number[],
  link: string,
  withAdmins = false,
) {
  const to = await recipients(db, productLineIds, withAdmins);
  if (to.length === 0) return;
  const en = healthText("en", now).notice({ code, params });
  await db.notification.createMany({
    data: to.map((userId) => ({ userId, title: en.title, body: en.body, code, params: params as Prisma.InputJsonValue, link })),
  });
}

/** One delivery per enabled webhook of every line or of one of these lines, for this event. */
async function queueDeliveries(db: DbTx, incidentId: number, event: WebhookEvent, productLineIds: number[], now: Date) {
  const hooks = await db.alertWebhook.findMany({
    where: { enabled: true, OR: [{ productLineId: null }, { productLineId: { in: productLineIds } }] },
    select: { id: true },
  });
  if (hooks.length)
    await db.incidentDelivery.createMany({ data: hooks.map((h) => ({ incidentId, webhookId: h.id, event, updatedAt: now })), skipDuplicates: true });
}

/**
 * Opens a service's incident. A silence set on the service's previous incident that has not run out
 * carries over (a flapping service stays quiet for the time the NOC asked): no webhook then.
 */
export async function openServiceIncident(
  db: Db,
  s: ServiceRef,
  reasons: Reason[],
  now: Date,
  external: { source: string; key: string } | null = null,
): Promise<number> {
  const first = pagingReasons({ level: "RED", reasons })[0] ?? reasons[0]!;
  return db.$transaction(async (tx) => {
    const previous = await tx.incident.findFirst({
      where: { serviceId: s.id, silencedUntil: { gt: now } },
      orderBy: { id: "desc" },
      select: { silencedUntil: true },
    });
    const incident = await tx.incident.create({
      data: {
        serviceId: s.id,
        importance: s.importance,
        openedAt: now,
        reason: headline(reasons),
        reasons: reasons as unknown as Prisma.InputJsonValue,
        silencedUntil: previous?.silencedUntil ?? null,
        source: external?.source ?? null,
        externalKey: external?.key ?? null,
      },
    });
    await tx.incidentService.create({ data: { incidentId: incident.id, serviceId: s.id } });
    const reason = { code: first.code, params: first.params };
    await addEvent(tx, incident.id, now, "opened", { reason });
    await notify(
      tx,
      now,
      "incident_opened",
      { service: s.name, serviceId: s.id, incidentId: incident.id, openedAt: now.toISOString(), reason },
      [s.productLineId],
      `/incidents/${incident.id}`,
    );
    if (!previous) await queueDeliveries(tx, incident.id, "opened", [s.productLineId], now);
    return incident.id;
  });
}

const serviceList = (services: ServiceRef[]) =>
  services
    .map((s) => s.name)
    .slice(0, 8)
    .join(", ") + (services.length > 8 ? ` +${services.length - 8}` : "");

/** One incident for a host that stopped answering, naming every service it affects. */
export async function openHostIncident(db: Db, host: { id: number; ip: string; since: Date }, services: ServiceRef[], now: Date): Promise<number> {
  const lines = [...new Set(services.map((s) => s.productLineId))];
  return db.$transaction(async (tx) => {
    const incident = await tx.incident.create({
      data: {
        hostId: host.id,
        importance: Math.max(1, ...services.map((s) => s.importance)),
        openedAt: now,
        reason: `host_unreachable host=${host.ip} services=${services.length}`,
        reasons: [],
      },
    });
    await tx.incidentService.createMany({ data: services.map((s) => ({ incidentId: incident.id, serviceId: s.id })), skipDuplicates: true });
    const params = {
      host: host.ip,
      hostId: host.id,
      n: services.length,
      services: serviceList(services),
      incidentId: incident.id,
      openedAt: now.toISOString(),
    };
    await addEvent(tx, incident.id, now, "host_opened", params);
    await notify(tx, now, "host_incident_opened", params, lines, `/incidents/${incident.id}`);
    await queueDeliveries(tx, incident.id, "opened", lines, now);
    return incident.id;
  });
}

/** Services that joined a host incident after it opened. */
export async function linkServices(db: DbTx, incidentId: number, serviceIds: number[]) {
  if (serviceIds.length) await db.incidentService.createMany({ data: serviceIds.map((serviceId) => ({ incidentId, serviceId })), skipDuplicates: true });
}

async function subject(db: DbTx, incidentId: number) {
  const i = await db.incident.findUniqueOrThrow({
    where: { id: incidentId },
    select: {
      id: true,
      openedAt: true,
      closedAt: true,
      silencedUntil: true,
      host: { select: { ip: true } },
      services: { select: { service: { select: { id: true, name: true, productLineId: true } } } },
    },
  });
  const services = i.services.map((x) => x.service);
  return { i, lines: [...new Set(services.map((s) => s.productLineId))], name: i.host ? i.host.ip : (services[0]?.name ?? `#${incidentId}`) };
}

/** Resolves an incident: the duration on its timeline, in the notices and the webhooks. */
export async function closeIncident(db: Db, incidentId: number, now: Date) {
  await db.$transaction(async (tx) => {
    const { i, lines, name } = await subject(tx, incidentId);
    await tx.incident.update({ where: { id: incidentId }, data: { closedAt: now } });
    const params = {
      durationSec: Math.round((now.getTime() - i.openedAt.getTime()) / 1000),
      service: name,
      incidentId,
      openedAt: i.openedAt.toISOString(),
      closedAt: now.toISOString(),
    };
    await addEvent(tx, incidentId, now, "resolved", params);
    await notify(tx, now, "incident_resolved", params, lines, `/incidents/${incidentId}`);
    if (!(i.silencedUntil && i.silencedUntil > now)) await queueDeliveries(tx, incidentId, "resolved", lines, now);
  });
}

/** Incidents nobody acknowledged in time: escalated once, with notices to DBAs, ADMINs and the lines. */
export async function escalateDue(db: Db, now: Date, settings: IncidentSettings): Promise<number[]> {
  const open = await db.incident.findMany({
    where: { closedAt: null, acknowledgedAt: null, escalatedAt: null },
    select: { id: true, openedAt: true, importance: true, acknowledgedAt: true, escalatedAt: true, silencedUntil: true },
  });
  const due = open.filter((i) => escalationDue(i, settings.escalateAfterMinutes, now));
  for (const d of due) {
    await db.$transaction(async (tx) => {
      const { lines, name } = await subject(tx, d.id);
      const minutes = settings.escalateAfterMinutes[String(d.importance) as "3"] ?? 30;
      await tx.incident.update({ where: { id: d.id }, data: { escalatedAt: now } });
      const params = { minutes, service: name, incidentId: d.id, openedAt: d.openedAt.toISOString() };
      await addEvent(tx, d.id, now, "escalated", params);
      await notify(tx, now, "incident_escalated", params, lines, `/incidents/${d.id}`, true);
      await queueDeliveries(tx, d.id, "escalated", lines, now);
    });
  }
  return due.map((d) => d.id);
}

/**
 * The automatic actions on an open incident's services (Hedwig's own jobs since it opened): one
 * entry when each starts, one when it ends.
 */
export async function recordAutomaticActions(db: DbTx, now: Date) {
  const open = await db.incident.findMany({
    where: { closedAt: null },
    select: {
      id: true,
      openedAt: true,
      services: { select: { serviceId: true } },
      events: { where: { jobId: { not: null } }, select: { jobId: true, kind: true } },
    },
  });
  for (const i of open) {
    const ids = i.services.map((s) => s.serviceId);
    if (!ids.length) continue;
    // a job started just before the incident opened is part of it (Sentinel's failover came first)
    const jobs = await db.job.findMany({
      where: { automatic: true, serviceId: { in: ids }, createdAt: { gte: new Date(i.openedAt.getTime() - 60_000) } },
      select: { id: true, kind: true, status: true, createdAt: true, startedAt: true, finishedAt: true },
    });
    const seen = new Set(i.events.map((e) => `${e.jobId}|${e.kind}`));
    for (const j of jobs) {
      if (!seen.has(`${j.id}|automatic_started`)) await addEvent(db, i.id, j.startedAt ?? j.createdAt, "automatic_started", { kind: j.kind }, { jobId: j.id });
      const end = j.status === "SUCCEEDED" ? "automatic_succeeded" : j.status === "FAILED" ? "automatic_failed" : null;
      if (end && !seen.has(`${j.id}|${end}`)) await addEvent(db, i.id, j.finishedAt ?? now, end, { kind: j.kind }, { jobId: j.id });
    }
  }
}
