import { joinTexts, text, type Text } from "../../../lib/text";
import type { Db, DbTx } from "../../db/client";
import { createJob } from "../../jobs/queue";
import type { Actor } from "../access/actor";
import { automaticText, recordAudit } from "../audit/record";
import { conflict, notFound, precondition } from "../errors";
import { deliberateOperationEffects } from "../healing/maintenance";
import type { Dispatcher } from "../requests/requests";
import { checkClone } from "./clone-proxy";
import { checkParameters } from "../daytwo/parameters-job";
import { checkUpgrade } from "../daytwo/upgrade-job";
import { checkFailover } from "./failover";
import { OPERATION_KINDS, RECORDED_KINDS, type MaintenanceOption, type OperationKind, type OperationRequest } from "./kinds";
import { checkMaxmemory } from "./maxmemory";
import { checkRemove } from "./remove";
import { loadTarget } from "./target";
import { ROTATE_KIND } from "../credentials/rotate";
import { BACKUP_KIND } from "../backups/backup-job";
import { RESTORE_KIND } from "../backups/restore-job";

/** The verb of a refusal, in the reader's language. */
const verbOf = (kind: OperationKind) => text("errors.domain.ops.verb", { kind: kind.replace(".", "_") });

/** What Hedwig does through the files it laid out: an adopted service's files are not where the layout says. */
const NEEDS_FILES: OperationKind[] = ["instance.start", "instance.stop", "instance.restart", "instance.remove", "twemproxy.clone"];

/** Refuses, with the reason, what the operation cannot do; otherwise says what it will do, for the audit. */
async function check(db: DbTx, req: OperationRequest) {
  if (req.kind === "service.parameters") {
    const { service, changes, current } = await checkParameters(db, req);
    const byDefault = text("auditLog.ops.default");
    const what = changes.map((c) => text("auditLog.ops.change", { key: c.key, from: c.from ?? byDefault, to: c.to ?? byDefault }));
    if (current.persistence !== req.persistence) what.push(text("auditLog.ops.persistence", { from: current.persistence, to: req.persistence }));
    return {
      service,
      entityType: "Service",
      entityId: service.id,
      said: text("auditLog.ops.parameters", { service: service.name, changes: joinTexts(what, "comma") }),
    };
  }
  if (req.kind === "service.upgrade") {
    const { service, moving, from } = await checkUpgrade(db, req);
    const said = text("auditLog.ops.upgrade", { n: moving.length, software: req.software.toLowerCase(), service: service.name, from, to: req.toVersion });
    return { service, entityType: "Service", entityId: service.id, said };
  }
  const t = req.kind === "twemproxy.clone" ? await checkClone(db, req.serviceId) : await loadTarget(db, req.instanceId);
  const service = t.inst.service;
  if (service.isDemo) {
    throw precondition(text("errors.domain.ops.demo", { service: service.name, address: t.address, verb: verbOf(req.kind) }));
  }
  if (NEEDS_FILES.includes(req.kind) && service.adopted) {
    throw precondition(text("errors.domain.ops.adopted", { service: service.name, address: t.address, verb: verbOf(req.kind) }));
  }
  switch (req.kind) {
    case "instance.maxmemory":
      await checkMaxmemory(db, t, req.maxmemoryMb);
      return {
        service,
        entityType: "Instance",
        entityId: t.inst.id,
        said: text("auditLog.ops.maxmemory", { target: t.label, service: service.name, from: t.inst.maxmemoryMb ?? "?", to: req.maxmemoryMb }),
      };
    case "instance.failover": {
      const master = await checkFailover(db, t);
      return {
        service,
        entityType: "Instance",
        entityId: t.inst.id,
        said: text("auditLog.ops.failover", { target: t.label, service: service.name, master: master.address }),
      };
    }
    case "twemproxy.clone":
      return { service, entityType: "Service", entityId: service.id, said: text("auditLog.ops.clone", { address: t.address, service: service.name }) };
    case "instance.remove":
      await checkRemove(db, t);
  }
  return {
    service,
    entityType: "Instance",
    entityId: t.inst.id,
    said: text("auditLog.ops.simple", { verb: verbOf(req.kind), target: t.label, service: service.name }),
  };
}

/**
 * Records the operation as a job with its audit entry, then queues it. One operation at a time per
 * service: two at once (a failover while a proxy restarts) would each see the other half-done.
 * A person's operation (actor) changes what is desired: a stop or restart opens a maintenance
 * window, a start ends it. Hedwig's own (actor null, automatic) only brings back what is desired.
 */
export async function submitOperation(
  db: Db,
  actor: Actor | null,
  req: OperationRequest,
  dispatch: Dispatcher,
  opts: { automatic?: boolean; why?: Text } = {},
) {
  const c = await check(db, req);
  const { kind, ...rest } = req;
  const { maintenance, ...input } = rest as typeof rest & MaintenanceOption;
  const automatic = opts.automatic === true;
  const job = await db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT "id" FROM "Service" WHERE "id" = ${c.service.id} FOR UPDATE`;
    const busy = await tx.job.findFirst({ where: { serviceId: c.service.id, status: { in: ["QUEUED", "RUNNING"] } } });
    if (busy)
      throw conflict(text("errors.domain.ops.busy", { kind: busy.kind, job: busy.id.slice(0, 8), status: busy.status.toLowerCase(), service: c.service.name }));
    const window = !automatic && "instanceId" in input ? await deliberateOperationEffects(tx, kind, input.instanceId, maintenance ?? {}, new Date()) : null;
    const created = await createJob(tx, { kind, input, serviceId: c.service.id, createdById: actor?.id ?? null, automatic });
    await recordAudit(tx, actor, {
      action: kind,
      entityType: c.entityType,
      entityId: c.entityId,
      text: automaticText(
        automatic,
        text("auditLog.ops.submitted", {
          what: c.said,
          why: opts.why ?? "none",
          until: window?.maintenanceUntil ? window.maintenanceUntil.toISOString() : "none",
          job: created.id.slice(0, 8),
        }),
      ),
      after: { jobId: created.id, input, ...(automatic ? { automatic } : {}), ...(window ? window : {}) },
    });
    return created;
  });
  await dispatch(job.id);
  return job;
}

/** A service's operations, newest first, with their steps and logs. */
export async function listOperationJobs(db: DbTx, serviceId: number) {
  if (!(await db.service.findUnique({ where: { id: serviceId }, select: { id: true } })))
    throw notFound(text("errors.domain.notFound.service", { id: serviceId }));
  const jobs = await db.job.findMany({
    where: { serviceId, kind: { in: [...OPERATION_KINDS, ...RECORDED_KINDS, ROTATE_KIND, BACKUP_KIND, RESTORE_KIND] } },
    orderBy: { createdAt: "desc" },
    take: 20,
    include: { createdBy: { select: { username: true } }, steps: { orderBy: { index: "asc" } }, logs: { orderBy: { id: "asc" }, take: 500 } },
  });
  return jobs.map((j) => ({ ...j, logs: j.logs.map((l) => ({ ...l, id: l.id.toString() })) }));
}
