import { text } from "../../../lib/text";
import type { Db } from "../../db/client";
import { assertProductLineVisible, type Actor } from "../access/actor";
import { recordAudit } from "../audit/record";
import { notFound, precondition } from "../errors";
import { addEvent } from "./incident-store";

/**
 * NOC acknowledges the open incident of a service (with a note) and silences its alerts for a
 * while. Only acknowledgedAt / acknowledgedById / ackNote / silencedUntil are written: the
 * incident's life (open, close, reasons, notification) belongs to the health rules and the
 * webhook sender, which reads silencedUntil.
 */

export const SILENCE_MAX_MINUTES = 7 * 24 * 60;

async function openIncident(db: Db, actor: Actor, serviceId: number) {
  const service = await db.service.findUnique({ where: { id: serviceId }, select: { id: true, name: true, productLineId: true } });
  if (!service) throw notFound(text("errors.domain.notFound.service", { id: serviceId }));
  assertProductLineVisible(actor, service.productLineId);
  // the service's own incident, or its dead host's that it shares
  const incident = await db.incident.findFirst({ where: { closedAt: null, services: { some: { serviceId } } }, orderBy: { openedAt: "desc" } });
  if (!incident) throw precondition(text("errors.domain.board.noIncident", { service: service.name }));
  return { service, incident };
}

const snapshot = (i: { acknowledgedAt: Date | null; acknowledgedById: number | null; ackNote: string | null; silencedUntil: Date | null }) => ({
  acknowledgedAt: i.acknowledgedAt,
  acknowledgedById: i.acknowledgedById,
  ackNote: i.ackNote,
  silencedUntil: i.silencedUntil,
});

export async function acknowledgeIncident(db: Db, actor: Actor, input: { serviceId: number; note: string }) {
  const { service, incident } = await openIncident(db, actor, input.serviceId);
  return db.$transaction(async (tx) => {
    const updated = await tx.incident.update({
      where: { id: incident.id },
      data: { acknowledgedAt: new Date(), acknowledgedById: actor.id, ackNote: input.note },
    });
    await recordAudit(tx, actor, {
      action: "incident.acknowledge",
      entityType: "Incident",
      entityId: incident.id,
      text: text("auditLog.health.acknowledge", { service: service.name, reason: incident.reason, note: input.note || "none" }),
      before: snapshot(incident),
      after: snapshot(updated),
    });
    await addEvent(tx, incident.id, updated.acknowledgedAt!, "acknowledged", { user: actor.username, note: input.note || null }, { userId: actor.id });
    return updated;
  });
}

/** minutes = 0 lifts the silence. A silence also acknowledges: someone has seen it. */
export async function silenceIncident(db: Db, actor: Actor, input: { serviceId: number; minutes: number; note?: string }, now = new Date()) {
  if (input.minutes < 0 || input.minutes > SILENCE_MAX_MINUTES) throw precondition(text("errors.domain.board.silenceTooLong", { max: SILENCE_MAX_MINUTES }));
  const { service, incident } = await openIncident(db, actor, input.serviceId);
  const until = input.minutes === 0 ? null : new Date(now.getTime() + input.minutes * 60_000);
  return db.$transaction(async (tx) => {
    const updated = await tx.incident.update({
      where: { id: incident.id },
      data: {
        silencedUntil: until,
        ...(until && !incident.acknowledgedAt ? { acknowledgedAt: now, acknowledgedById: actor.id } : {}),
        ...(input.note ? { ackNote: input.note } : {}),
      },
    });
    await recordAudit(tx, actor, {
      action: until ? "incident.silence" : "incident.unsilence",
      entityType: "Incident",
      entityId: incident.id,
      text: until
        ? text("auditLog.health.silence", { service: service.name, minutes: input.minutes, until: until.toISOString() })
        : text("auditLog.health.unsilence", { service: service.name }),
      before: snapshot(incident),
      after: snapshot(updated),
    });
    if (until) await addEvent(tx, incident.id, now, "silenced", { user: actor.username, minutes: input.minutes }, { userId: actor.id });
    return updated;
  });
}
