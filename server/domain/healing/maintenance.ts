import { text } from "../../../lib/text";
import type { DbTx } from "../../db/client";
import { transactional } from "../../db/transaction";
import type { Actor } from "../access/actor";
import { recordAudit } from "../audit/record";
import { badInput, notFound, precondition } from "../errors";

/**
 * Maintenance: what a DBA does on purpose is shown, not paged, and not undone by the reconciler.
 * A stop or restart through Hedwig opens a window (until the time the DBA chose, or a default);
 * a DBA may also open one on a running instance and end any window early. The health rules read
 * `Instance.maintenanceUntil`; the window ends by itself at that time.
 */
export const MAX_MAINTENANCE_MS = 30 * 24 * 3_600_000;
export const NOTE_MAX = 200;
/** when the DBA does not say: long enough for the work a stop is usually for, short enough not to be forgotten */
export const DEFAULT_WINDOW_MINUTES = { "instance.stop": 60, "instance.restart": 10 } as const;

export type MaintenanceInput = { until?: Date | null; note?: string | null };

export const inMaintenance = (i: { maintenanceUntil: Date | null }, now: Date) => i.maintenanceUntil !== null && i.maintenanceUntil > now;

/** The window's end, checked: in the future, at most 30 days away. */
export function windowEnd(until: Date, now: Date): Date {
  if (Number.isNaN(until.getTime())) throw badInput(text("refusals.maintenance.notDate"));
  if (until <= now) throw badInput(text("refusals.maintenance.past", { until: until.toISOString(), now: now.toISOString() }));
  if (until.getTime() - now.getTime() > MAX_MAINTENANCE_MS) throw badInput(text("refusals.maintenance.tooLong"));
  return until;
}

function cleanNote(note: string | null | undefined): string | null {
  const n = note?.trim() ?? "";
  if (n.length > NOTE_MAX) throw badInput(text("refusals.maintenance.noteLong", { n: n.length, max: NOTE_MAX }));
  return n || null;
}

/**
 * What a DBA's operation does to the instance's maintenance, inside the operation's transaction:
 * a stop or restart opens a window; a start ends it (the work is done, so a later death pages
 * again) and lifts an escalation, as a restart does: a person has taken the instance in hand.
 */
export async function deliberateOperationEffects(
  tx: DbTx,
  kind: string,
  instanceId: number,
  m: MaintenanceInput,
  now: Date,
): Promise<{ maintenanceUntil: Date | null } | null> {
  if (kind === "instance.stop" || kind === "instance.restart") {
    const until = m.until ? windowEnd(m.until, now) : new Date(now.getTime() + DEFAULT_WINDOW_MINUTES[kind] * 60_000);
    await tx.instance.update({ where: { id: instanceId }, data: { maintenanceUntil: until, maintenanceNote: cleanNote(m.note) } });
    if (kind === "instance.restart") await tx.restartHold.deleteMany({ where: { instanceId } });
    return { maintenanceUntil: until };
  }
  if (kind === "instance.start") {
    await tx.instance.update({ where: { id: instanceId }, data: { maintenanceUntil: null, maintenanceNote: null } });
    await tx.restartHold.deleteMany({ where: { instanceId } });
    return { maintenanceUntil: null };
  }
  return null;
}

async function deployedInstance(tx: DbTx, instanceId: number) {
  const inst = await tx.instance.findUnique({
    where: { id: instanceId },
    select: {
      id: true,
      port: true,
      state: true,
      maintenanceUntil: true,
      maintenanceNote: true,
      host: { select: { ip: true } },
      service: { select: { name: true, isDemo: true } },
    },
  });
  if (!inst) throw notFound(text("errors.domain.notFound.instance", { id: instanceId }));
  if (inst.service.isDemo || inst.state === "UNKNOWN") throw precondition(text("refusals.maintenance.catalogued", { address: `${inst.host.ip}:${inst.port}` }));
  return inst;
}

/** A DBA opens (or moves the end of) a maintenance window on an instance. */
export const startMaintenance = transactional(async function startMaintenance(
  tx: DbTx,
  actor: Actor,
  instanceId: number,
  m: { until: Date; note?: string | null },
  now: Date = new Date(),
) {
  const inst = await deployedInstance(tx, instanceId);
  const until = windowEnd(m.until, now);
  const note = cleanNote(m.note);
  await tx.instance.update({ where: { id: instanceId }, data: { maintenanceUntil: until, maintenanceNote: note } });
  await recordAudit(tx, actor, {
    action: "instance.maintenance",
    entityType: "Instance",
    entityId: instanceId,
    summary: `maintenance of ${inst.host.ip}:${inst.port} of ${inst.service.name} until ${until.toISOString()}${note ? `: ${note}` : ""}`,
    before: { maintenanceUntil: inst.maintenanceUntil, maintenanceNote: inst.maintenanceNote },
    after: { maintenanceUntil: until, maintenanceNote: note },
  });
  return { instanceId, maintenanceUntil: until, maintenanceNote: note };
});

/** A DBA ends a window now: the instance is watched, restarted and paged for again. */
export const endMaintenance = transactional(async function endMaintenance(tx: DbTx, actor: Actor, instanceId: number, now: Date = new Date()) {
  const inst = await deployedInstance(tx, instanceId);
  if (!inMaintenance(inst, now)) throw precondition(text("refusals.maintenance.notIn", { address: `${inst.host.ip}:${inst.port}` }));
  await tx.instance.update({ where: { id: instanceId }, data: { maintenanceUntil: null, maintenanceNote: null } });
  await recordAudit(tx, actor, {
    action: "instance.maintenance-end",
    entityType: "Instance",
    entityId: instanceId,
    summary: `ended the maintenance of ${inst.host.ip}:${inst.port} of ${inst.service.name} (it was to last until ${inst.maintenanceUntil!.toISOString()})`,
    before: { maintenanceUntil: inst.maintenanceUntil, maintenanceNote: inst.maintenanceNote },
    after: { maintenanceUntil: null },
  });
  return { instanceId };
});
