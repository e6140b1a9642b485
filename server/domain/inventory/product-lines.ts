import { text } from "../../../lib/text";
import type { DbTx } from "../../db/client";
import { visibleProductLines, type Actor } from "../access/actor";
import { recordAudit } from "../audit/record";
import { badInput, conflict, forbidden, notFound, precondition } from "../errors";
import { transactional } from "../../db/transaction";

export type ProductLineInput = { code: string; name: string; departmentId: number; importance: number; description?: string };

/** Product lines the actor may see (a BUSINESS user: only their own), with their service counts. */
export async function listProductLines(db: DbTx, actor: Actor, f: { search?: string; departmentId?: number; importance?: number } = {}) {
  const visible = visibleProductLines(actor);
  const rows = await db.productLine.findMany({
    where: {
      ...(visible ? { id: { in: visible } } : {}),
      ...(f.departmentId ? { departmentId: f.departmentId } : {}),
      ...(f.importance ? { importance: f.importance } : {}),
      ...(f.search ? { OR: [{ code: { contains: f.search, mode: "insensitive" } }, { name: { contains: f.search, mode: "insensitive" } }] } : {}),
    },
    orderBy: [{ importance: "desc" }, { code: "asc" }],
    include: {
      department: true,
      _count: { select: { services: true, members: true } },
      members: { include: { user: { select: { id: true, username: true, displayName: true } } } },
    },
  });
  return rows.map((p) => ({
    id: p.id,
    code: p.code,
    name: p.name,
    importance: p.importance,
    description: p.description,
    department: { id: p.department.id, code: p.department.code, name: p.department.name },
    services: p._count.services,
    members: p.members.map((m) => m.user),
    isDemo: p.isDemo,
  }));
}

export const listDepartments = (db: DbTx) => db.department.findMany({ orderBy: { code: "asc" } });

export const createDepartment = transactional(async function createDepartment(db: DbTx, actor: Actor, input: { code: string; name: string }) {
  if (await db.department.findUnique({ where: { code: input.code } })) throw conflict(text("errors.domain.lines.departmentTaken", { code: input.code }));
  const d = await db.department.create({ data: input });
  await recordAudit(db, actor, {
    action: "department.create",
    entityType: "Department",
    entityId: d.id,
    text: text("auditLog.productLines.departmentCreate", { code: d.code }),
    after: d,
  });
  return d;
});

async function assertDepartment(db: DbTx, id: number) {
  if (!(await db.department.findUnique({ where: { id } }))) throw badInput(text("errors.domain.lines.departmentMissing", { id }));
}

export const createProductLine = transactional(async function createProductLine(db: DbTx, actor: Actor, input: ProductLineInput) {
  if (await db.productLine.findUnique({ where: { code: input.code } })) throw conflict(text("errors.domain.lines.codeTaken", { code: input.code }));
  await assertDepartment(db, input.departmentId);
  const p = await db.productLine.create({ data: input });
  await recordAudit(db, actor, {
    action: "productLine.create",
    entityType: "ProductLine",
    entityId: p.id,
    text: text("auditLog.productLines.create", { code: p.code, importance: p.importance }),
    after: p,
  });
  return p;
});

export const updateProductLine = transactional(async function updateProductLine(db: DbTx, actor: Actor, input: Partial<ProductLineInput> & { id: number }) {
  const before = await db.productLine.findUnique({ where: { id: input.id } });
  if (!before) throw notFound(text("errors.domain.notFound.productLine", { id: input.id }));
  if (input.code && input.code !== before.code && (await db.productLine.findUnique({ where: { code: input.code } }))) {
    throw conflict(text("errors.domain.lines.codeTakenShort", { code: input.code }));
  }
  if (input.departmentId) await assertDepartment(db, input.departmentId);
  const { id, ...data } = input;
  const after = await db.productLine.update({ where: { id }, data });
  await recordAudit(db, actor, {
    action: "productLine.update",
    entityType: "ProductLine",
    entityId: id,
    text: text("auditLog.productLines.update", { code: after.code }),
    before,
    after,
  });
  return after;
});

export const deleteProductLine = transactional(async function deleteProductLine(db: DbTx, actor: Actor, id: number) {
  const p = await db.productLine.findUnique({ where: { id }, include: { _count: { select: { services: true } } } });
  if (!p) throw notFound(text("errors.domain.notFound.productLine", { id }));
  if (p._count.services > 0) throw precondition(text("errors.domain.lines.ownsServices", { code: p.code, n: p._count.services }));
  await db.productLine.delete({ where: { id } });
  await recordAudit(db, actor, {
    action: "productLine.delete",
    entityType: "ProductLine",
    entityId: id,
    text: text("auditLog.productLines.delete", { code: p.code }),
    before: p,
  });
});

export const setProductLineMembers = transactional(async function setProductLineMembers(
  db: DbTx,
  actor: Actor,
  input: { productLineId: number; userIds: number[] },
) {
  const p = await db.productLine.findUnique({ where: { id: input.productLineId }, include: { members: true } });
  if (!p) throw notFound(text("errors.domain.notFound.productLine", { id: input.productLineId }));
  const userIds = [...new Set(input.userIds)];
  const found = await db.user.count({ where: { id: { in: userIds } } });
  if (found !== userIds.length) throw badInput(text("errors.domain.lines.usersMissing"));
  await db.productLineMember.deleteMany({ where: { productLineId: p.id } });
  await db.productLineMember.createMany({ data: userIds.map((userId) => ({ userId, productLineId: p.id })) });
  await recordAudit(db, actor, {
    action: "productLine.members",
    entityType: "ProductLine",
    entityId: p.id,
    text: text("auditLog.productLines.members", { code: p.code }),
    before: p.members.map((m) => m.userId),
    after: userIds,
  });
});

export async function getProductLine(db: DbTx, actor: Actor, id: number) {
  const visible = visibleProductLines(actor);
  if (visible && !visible.includes(id)) throw forbidden(text("errors.domain.lines.notMember", { id }));
  const p = await db.productLine.findUnique({ where: { id }, include: { department: true } });
  if (!p) throw notFound(text("errors.domain.notFound.productLine", { id }));
  return p;
}
