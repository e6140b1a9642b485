import { text } from "../../../lib/text";
import type { DbTx } from "../../db/client";
import type { Actor } from "../access/actor";
import { recordAudit } from "../audit/record";
import { conflict, notFound, precondition } from "../errors";
import { transactional } from "../../db/transaction";

/** IDCs and racks: the physical layout hosts hang from. */

export async function listIdcs(db: DbTx) {
  const idcs = await db.idc.findMany({
    orderBy: { code: "asc" },
    include: { racks: { orderBy: { code: "asc" }, include: { _count: { select: { hosts: true } } } } },
  });
  return idcs.map((i) => ({
    ...i,
    hostCount: i.racks.reduce((n, r) => n + r._count.hosts, 0),
    racks: i.racks.map((r) => ({ id: r.id, code: r.code, hostCount: r._count.hosts })),
  }));
}

export const createIdc = transactional(async function createIdc(db: DbTx, actor: Actor, input: { code: string; name: string; region: string }) {
  if (await db.idc.findUnique({ where: { code: input.code } })) throw conflict(text("errors.domain.topology.idcTaken", { code: input.code }));
  const idc = await db.idc.create({ data: input });
  await recordAudit(db, actor, {
    action: "idc.create",
    entityType: "Idc",
    entityId: idc.id,
    text: text("auditLog.topology.idcCreate", { idc: idc.code }),
    after: idc,
  });
  return idc;
});

export const updateIdc = transactional(async function updateIdc(db: DbTx, actor: Actor, input: { id: number; name?: string; region?: string }) {
  const before = await db.idc.findUnique({ where: { id: input.id } });
  if (!before) throw notFound(text("errors.domain.notFound.idc", { id: input.id }));
  const after = await db.idc.update({ where: { id: input.id }, data: { name: input.name, region: input.region } });
  await recordAudit(db, actor, {
    action: "idc.update",
    entityType: "Idc",
    entityId: after.id,
    text: text("auditLog.topology.idcUpdate", { idc: after.code }),
    before,
    after,
  });
  return after;
});

export const createRack = transactional(async function createRack(db: DbTx, actor: Actor, input: { idcId: number; code: string }) {
  const idc = await db.idc.findUnique({ where: { id: input.idcId } });
  if (!idc) throw notFound(text("errors.domain.notFound.idc", { id: input.idcId }));
  if (await db.rack.findUnique({ where: { idcId_code: input } }))
    throw conflict(text("errors.domain.topology.rackExists", { code: input.code, idc: idc.code }));
  const rack = await db.rack.create({ data: input });
  await recordAudit(db, actor, {
    action: "rack.create",
    entityType: "Rack",
    entityId: rack.id,
    text: text("auditLog.topology.rackCreate", { rack: `${idc.code}/${rack.code}` }),
    after: rack,
  });
  return rack;
});

export const deleteRack = transactional(async function deleteRack(db: DbTx, actor: Actor, id: number) {
  const rack = await db.rack.findUnique({ where: { id }, include: { idc: true, _count: { select: { hosts: true } } } });
  if (!rack) throw notFound(text("errors.domain.topology.rackMissing", { id }));
  if (rack._count.hosts > 0) throw precondition(text("errors.domain.topology.rackHoldsHosts", { rack: `${rack.idc.code}/${rack.code}`, n: rack._count.hosts }));
  await db.rack.delete({ where: { id } });
  await recordAudit(db, actor, {
    action: "rack.delete",
    entityType: "Rack",
    entityId: id,
    text: text("auditLog.topology.rackDelete", { rack: `${rack.idc.code}/${rack.code}` }),
    before: rack,
  });
});
