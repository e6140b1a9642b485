import { text } from "../../../lib/text";
import type { Role } from "../../../generated/prisma/enums";
import type { DbTx } from "../../db/client";
import { hashPassword, verifyPassword } from "../../auth/password";
import { recordAudit } from "../audit/record";
import { lockedUsers } from "./sign-in";
import { badInput, conflict, notFound, precondition } from "../errors";
import type { Actor } from "./actor";
import { transactional } from "../../db/transaction";

const PUBLIC_FIELDS = { id: true, username: true, displayName: true, email: true, role: true, disabled: true, createdAt: true } as const;

export async function listUsers(db: DbTx, f: { search?: string; role?: Role } = {}) {
  const users = await db.user.findMany({
    where: {
      ...(f.role ? { role: f.role } : {}),
      ...(f.search ? { OR: [{ username: { contains: f.search, mode: "insensitive" } }, { displayName: { contains: f.search, mode: "insensitive" } }] } : {}),
    },
    orderBy: { username: "asc" },
    select: { ...PUBLIC_FIELDS, memberships: { select: { productLine: { select: { id: true, code: true } } } } },
  });
  const locks = await lockedUsers(db);
  return users.map(({ memberships, ...u }) => ({ ...u, productLines: memberships.map((m) => m.productLine), lockedUntil: locks.get(u.username) ?? null }));
}

export type UserCreateInput = { username: string; displayName: string; email?: string | null; role: Role; password: string; productLineIds: number[] };

async function assertProductLines(db: DbTx, ids: number[]) {
  const found = await db.productLine.count({ where: { id: { in: ids } } });
  if (found !== new Set(ids).size) throw badInput(text("errors.domain.users.linesMissing"));
}

export const createUser = transactional(async function createUser(db: DbTx, actor: Actor, input: UserCreateInput) {
  if (await db.user.findUnique({ where: { username: input.username } }))
    throw conflict(text("errors.domain.users.usernameTaken", { username: input.username }));
  await assertProductLines(db, input.productLineIds);
  const user = await db.user.create({
    data: {
      username: input.username,
      displayName: input.displayName,
      email: input.email ?? null,
      role: input.role,
      passwordHash: await hashPassword(input.password),
      memberships: { create: [...new Set(input.productLineIds)].map((productLineId) => ({ productLineId })) },
    },
    select: PUBLIC_FIELDS,
  });
  await recordAudit(db, actor, {
    action: "user.create",
    entityType: "User",
    entityId: user.id,
    text: text("auditLog.users.create", { user: user.username, role: user.role }),
    after: { ...user, productLineIds: input.productLineIds },
  });
  return user;
});

export type UserUpdateInput = {
  id: number;
  displayName?: string;
  email?: string | null;
  role?: Role;
  disabled?: boolean;
  password?: string;
  productLineIds?: number[];
};

/** The last enabled ADMIN cannot be demoted or disabled: nobody could manage users after that. */
async function assertAdminRemains(db: DbTx, id: number, next: { role?: Role; disabled?: boolean }) {
  const target = await db.user.findUnique({ where: { id } });
  if (!target) throw notFound(text("errors.domain.users.userMissing", { id }));
  const losesAdmin = target.role === "ADMIN" && !target.disabled && ((next.role && next.role !== "ADMIN") || next.disabled === true);
  if (losesAdmin && (await db.user.count({ where: { role: "ADMIN", disabled: false } })) <= 1) {
    throw precondition(text("errors.domain.users.lastAdmin", { username: target.username }));
  }
  return target;
}

export const updateUser = transactional(async function updateUser(db: DbTx, actor: Actor, input: UserUpdateInput) {
  const before = await assertAdminRemains(db, input.id, input);
  if (input.productLineIds) await assertProductLines(db, input.productLineIds);
  const after = await db.user.update({
    where: { id: input.id },
    data: {
      displayName: input.displayName,
      email: input.email,
      role: input.role,
      disabled: input.disabled,
      // A reset ends the user's sessions (they carry the old sessionVersion).
      ...(input.password ? { passwordHash: await hashPassword(input.password), sessionVersion: { increment: 1 } } : {}),
      ...(input.productLineIds
        ? { memberships: { deleteMany: {}, create: [...new Set(input.productLineIds)].map((productLineId) => ({ productLineId })) } }
        : {}),
    },
    select: PUBLIC_FIELDS,
  });
  const { passwordHash: _omit, ...beforePublic } = before;
  await recordAudit(db, actor, {
    action: "user.update",
    entityType: "User",
    entityId: input.id,
    text: text("auditLog.users.update", { user: after.username, reset: input.password ? "yes" : "no" }),
    before: beforePublic,
    after: { ...after, ...(input.productLineIds ? { productLineIds: input.productLineIds } : {}) },
  });
  return after;
});

/**
 * A user changes their own password: the current one proves it is them, every other session of
 * theirs ends (the session version moves; the caller signs in again with the new password), and a
 * fresh install's admin is free to use the console afterwards.
 */
export const changeOwnPassword = transactional(async function changeOwnPassword(db: DbTx, actor: Actor, input: { current: string; next: string }) {
  const user = await db.user.findUnique({ where: { id: actor.id }, select: { passwordHash: true } });
  if (!user?.passwordHash || !(await verifyPassword(user.passwordHash, input.current))) throw badInput(text("errors.domain.users.wrongPassword"));
  if (input.current === input.next) throw badInput(text("errors.domain.users.samePassword"));
  await db.user.update({
    where: { id: actor.id },
    data: { passwordHash: await hashPassword(input.next), sessionVersion: { increment: 1 }, mustChangePassword: false },
  });
  await recordAudit(db, actor, {
    action: "user.password",
    entityType: "User",
    entityId: actor.id,
    text: text("auditLog.users.password", { user: actor.username }),
    before: null,
    after: null,
  });
  return { changed: true };
});
