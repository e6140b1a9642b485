import type { DbTx } from "../client";
import { DEMO_USERS, DEPARTMENTS, PRODUCT_LINES } from "./catalog";

/**
 * Departments, product lines, the demo users and their memberships. Rows that already exist (same
 * code or username) are kept as they are. Returns ids by code.
 */
export async function insertOrganisation(db: DbTx, passwordHashes: readonly string[]) {
  await db.department.createMany({ data: DEPARTMENTS.map((d) => ({ ...d, isDemo: true })), skipDuplicates: true });
  const departments = await db.department.findMany({ where: { code: { in: DEPARTMENTS.map((d) => d.code) } } });
  const departmentIds = new Map(departments.map((d) => [d.code, d.id]));

  await db.productLine.createMany({
    data: PRODUCT_LINES.map((p) => ({
      code: p.code,
      name: p.name,
      departmentId: departmentIds.get(p.department)!,
      importance: p.importance,
      description: `${p.name} (${"★".repeat(p.importance)})`,
      isDemo: true,
    })),
    skipDuplicates: true,
  });
  const productLines = await db.productLine.findMany({ where: { code: { in: PRODUCT_LINES.map((p) => p.code) } } });
  const productLineIds = new Map(productLines.map((p) => [p.code, p.id]));

  await db.user.createMany({
    data: DEMO_USERS.map((u, i) => ({
      username: u.username,
      displayName: u.displayName,
      role: u.role,
      passwordHash: passwordHashes[i]!,
    })),
    skipDuplicates: true,
  });
  const users = await db.user.findMany({ where: { username: { in: DEMO_USERS.map((u) => u.username) } } });
  const userIds = new Map(users.map((u) => [u.username, u.id]));
  await db.productLineMember.createMany({
    data: DEMO_USERS.flatMap((u) => u.productLines.map((code) => ({ userId: userIds.get(u.username)!, productLineId: productLineIds.get(code)! }))),
    skipDuplicates: true,
  });

  return { departmentIds, productLineIds, users: users.length };
}
