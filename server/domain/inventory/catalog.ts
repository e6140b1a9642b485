import { text } from "../../../lib/text";
import type { DbTx } from "../../db/client";
import type { Software } from "../../../generated/prisma/enums";
import type { Actor } from "../access/actor";
import { recordAudit } from "../audit/record";
import { badInput, conflict, notFound, precondition } from "../errors";
import { transactional } from "../../db/transaction";

/** Software versions, specs (named resource flavours) and port ranges: the deployment standard. */

export const listSoftwareVersions = (db: DbTx) => db.softwareVersion.findMany({ orderBy: [{ software: "asc" }, { version: "desc" }] });

export const createSoftwareVersion = transactional(async function createSoftwareVersion(
  db: DbTx,
  actor: Actor,
  input: { software: Software; version: string; installPath: string; isDefault: boolean },
) {
  if (await db.softwareVersion.findUnique({ where: { software_version: { software: input.software, version: input.version } } })) {
    throw conflict(text("errors.domain.catalog.versionExists", { software: input.software, version: input.version }));
  }
  if (!input.installPath.includes(input.version)) {
    throw badInput(text("errors.domain.catalog.installPath", { version: input.version }));
  }
  if (input.isDefault) await db.softwareVersion.updateMany({ where: { software: input.software }, data: { isDefault: false } });
  const v = await db.softwareVersion.create({ data: input });
  await recordAudit(db, actor, {
    action: "softwareVersion.create",
    entityType: "SoftwareVersion",
    entityId: v.id,
    text: text("auditLog.catalog.versionCreate", { software: v.software, version: v.version }),
    after: v,
  });
  return v;
});

export const setDefaultSoftwareVersion = transactional(async function setDefaultSoftwareVersion(db: DbTx, actor: Actor, id: number) {
  const v = await db.softwareVersion.findUnique({ where: { id } });
  if (!v) throw notFound(text("errors.domain.catalog.versionMissing", { id }));
  await db.softwareVersion.updateMany({ where: { software: v.software }, data: { isDefault: false } });
  await db.softwareVersion.update({ where: { id }, data: { isDefault: true } });
  await recordAudit(db, actor, {
    action: "softwareVersion.default",
    entityType: "SoftwareVersion",
    entityId: id,
    text: text("auditLog.catalog.versionDefault", { software: v.software, version: v.version }),
  });
});

export const deleteSoftwareVersion = transactional(async function deleteSoftwareVersion(db: DbTx, actor: Actor, id: number) {
  const v = await db.softwareVersion.findUnique({ where: { id } });
  if (!v) throw notFound(text("errors.domain.catalog.versionMissing", { id }));
  const inUse = await db.instance.count({ where: { software: v.software, version: v.version } });
  if (inUse > 0) throw precondition(text("errors.domain.catalog.versionInUse", { n: inUse, software: v.software, version: v.version }));
  await db.softwareVersion.delete({ where: { id } });
  await recordAudit(db, actor, {
    action: "softwareVersion.delete",
    entityType: "SoftwareVersion",
    entityId: id,
    text: text("auditLog.catalog.versionDelete", { software: v.software, version: v.version }),
    before: v,
  });
});

export type SpecInput = { software: Software; name: string; cpuCores: number; memoryMb: number; diskGb: number; bandwidthMbps: number };

export const listSpecs = (db: DbTx) => db.spec.findMany({ orderBy: [{ software: "asc" }, { memoryMb: "asc" }] });

export const upsertSpec = transactional(async function upsertSpec(db: DbTx, actor: Actor, input: SpecInput & { id?: number }) {
  const clash = await db.spec.findUnique({ where: { software_name: { software: input.software, name: input.name } } });
  if (clash && clash.id !== input.id) throw conflict(text("errors.domain.catalog.specExists", { software: input.software, name: input.name }));
  const { id, ...data } = input;
  if (id) {
    const before = await db.spec.findUnique({ where: { id } });
    if (!before) throw notFound(text("errors.domain.catalog.specMissing", { id }));
    const after = await db.spec.update({ where: { id }, data });
    await recordAudit(db, actor, {
      action: "spec.update",
      entityType: "Spec",
      entityId: id,
      text: text("auditLog.catalog.specUpdate", { software: after.software, spec: after.name }),
      before,
      after,
    });
    return after;
  }
  const spec = await db.spec.create({ data });
  await recordAudit(db, actor, {
    action: "spec.create",
    entityType: "Spec",
    entityId: spec.id,
    text: text("auditLog.catalog.specCreate", { software: spec.software, spec: spec.name }),
    after: spec,
  });
  return spec;
});

export const deleteSpec = transactional(async function deleteSpec(db: DbTx, actor: Actor, id: number) {
  const spec = await db.spec.findUnique({ where: { id } });
  if (!spec) throw notFound(text("errors.domain.catalog.specMissing", { id }));
  await db.spec.delete({ where: { id } });
  await recordAudit(db, actor, {
    action: "spec.delete",
    entityType: "Spec",
    entityId: id,
    text: text("auditLog.catalog.specDelete", { software: spec.software, spec: spec.name }),
    before: spec,
  });
});

export const listPortRanges = (db: DbTx) => db.portRange.findMany({ orderBy: { startPort: "asc" } });

export const updatePortRange = transactional(async function updatePortRange(
  db: DbTx,
  actor: Actor,
  input: { software: Software; startPort: number; endPort: number },
) {
  if (input.startPort >= input.endPort) throw badInput(text("errors.domain.catalog.rangeOrder", { start: input.startPort, end: input.endPort }));
  const before = await db.portRange.findUnique({ where: { software: input.software } });
  const others = await db.portRange.findMany({ where: { software: { not: input.software } } });
  const overlap = others.find((o) => input.startPort <= o.endPort && o.startPort <= input.endPort);
  if (overlap) {
    throw conflict(
      text("errors.domain.catalog.rangeOverlap", {
        start: input.startPort,
        end: input.endPort,
        software: overlap.software,
        otherStart: overlap.startPort,
        otherEnd: overlap.endPort,
      }),
    );
  }
  const nextPort = before ? Math.min(Math.max(before.nextPort, input.startPort), input.endPort) : input.startPort;
  const after = await db.portRange.upsert({
    where: { software: input.software },
    create: { ...input, nextPort },
    update: { startPort: input.startPort, endPort: input.endPort, nextPort },
  });
  await recordAudit(db, actor, {
    action: "portRange.update",
    entityType: "PortRange",
    entityId: input.software,
    text: text("auditLog.catalog.ports", { software: input.software, start: input.startPort, end: input.endPort }),
    before,
    after,
  });
  return after;
});
