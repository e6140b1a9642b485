import { z } from "zod";
import type { Prisma } from "../../../generated/prisma/client";
import type { Db } from "../../db/client";
import { text } from "../../../lib/text";
import { assertProductLineVisible, type Actor } from "../access/actor";
import { recordAudit } from "../audit/record";
import { idSchema } from "../bounds";
import { notFound } from "../errors";
import { addEvent, closeIncident, openServiceIncident } from "../health/incident-store";
import type { Reason } from "../health/rules";

/**
 * An alert from another system (Zabbix, a business's own monitor, a CI smoke test), raised through
 * POST /api/v1/alerts: it opens an incident on a service like Hedwig's own health rules do (notices,
 * webhooks, escalation, the incidents page), a repeat of the same source and key while it is open is
 * a new timeline entry on that incident, and `status: resolved` closes it. Hedwig's evaluator does
 * not close it (its incidents are the ones it tracks per service), so the system that raised it does.
 */
export const alertSchema = z
  .object({
    serviceId: idSchema.optional(),
    /** the service's name, as other systems know it */
    service: z.string().trim().min(1).max(81).optional(),
    /** who raises it: "zabbix", "ci" */
    source: z
      .string()
      .trim()
      .regex(/^[a-z0-9][a-z0-9._-]{0,39}$/i, "a source is 1–40 letters, digits, '.', '_' or '-', e.g. zabbix"),
    /** that system's name for this alert; a repeat with the same key is the same incident (default: the summary) */
    key: z.string().trim().min(1).max(200).optional(),
    summary: z.string().trim().min(1).max(500),
    level: z.enum(["RED", "AMBER"]).default("RED"),
    status: z.enum(["firing", "resolved"]).default("firing"),
  })
  .refine((a) => a.serviceId !== undefined || a.service !== undefined, { message: "automation.alertNoService", path: ["service"] });
export type AlertInput = z.infer<typeof alertSchema>;

export async function raiseAlert(
  db: Db,
  actor: Actor,
  input: AlertInput,
  now = new Date(),
): Promise<{ incidentId: number; opened: boolean; resolved: boolean }> {
  const s = await db.service.findFirst({
    where: input.serviceId !== undefined ? { id: input.serviceId } : { name: input.service },
    select: { id: true, name: true, productLineId: true, productLine: { select: { importance: true } } },
  });
  if (!s) throw notFound(text("automation.alertServiceUnknown", { service: input.service ?? String(input.serviceId) }));
  assertProductLineVisible(actor, s.productLineId);
  const key = input.key ?? input.summary;
  const reason: Reason = { code: "external_alert", level: input.level, params: { source: input.source, summary: input.summary, key } };
  const open = await db.incident.findFirst({
    where: { serviceId: s.id, source: input.source, externalKey: key, closedAt: null },
    select: { id: true, reasons: true },
  });
  const audit = (incidentId: number, what: string) =>
    recordAudit(db, actor, {
      action: `incident.alert.${input.status}`,
      entityType: "Incident",
      entityId: incidentId,
      summary: `${what} alert ${key} from ${input.source} on ${s.name}: ${input.summary}`,
    });

  if (input.status === "resolved") {
    if (!open) throw notFound(text("automation.alertNothingOpen", { key, source: input.source, service: s.name }));
    await closeIncident(db, open.id, now);
    await audit(open.id, "resolved");
    return { incidentId: open.id, opened: false, resolved: true };
  }
  if (open) {
    const last = ((open.reasons ?? []) as Reason[]).at(-1);
    // A repeat of the same words is the same news; a new summary or level goes on the timeline.
    if (last?.params.summary !== input.summary || last.level !== input.level) {
      const reasons = [...((open.reasons ?? []) as Reason[]), reason] as unknown as Prisma.InputJsonValue;
      await db.$transaction(async (tx) => {
        await tx.incident.update({ where: { id: open.id }, data: { reasons } });
        await addEvent(tx, open.id, now, "reason", { reason: { code: reason.code, params: reason.params } });
      });
    }
    return { incidentId: open.id, opened: false, resolved: false };
  }
  const incidentId = await openServiceIncident(
    db,
    { id: s.id, name: s.name, productLineId: s.productLineId, importance: s.productLine.importance },
    [reason],
    now,
    { source: input.source, key },
  );
  await audit(incidentId, "raised");
  return { incidentId, opened: true, resolved: false };
}
