import crypto from "node:crypto";
import pg from "pg";
import { afterAll, inject } from "vitest";
import { createDb, type Db } from "../../server/db/client";
import type { Actor } from "../../server/domain/access/actor";
import { loadActor } from "../../server/domain/access/actor";
import type { Role } from "../../generated/prisma/enums";

/** A fresh, migrated database of this test file's own (cloned from the run's template), dropped afterwards. */
export async function freshDatabase(): Promise<{ db: Db; url: string }> {
  const adminUrl = inject("adminUrl");
  const name = `t_${crypto.randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE hedwig_template`);
  await admin.end();
  const url = adminUrl.replace(/\/[^/]+$/, `/${name}`);
  const db = createDb(url, 20);
  afterAll(async () => {
    await db.$disconnect();
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  });
  return { db, url };
}

/** Creates a user with the role (and product lines) and returns it as the domain sees an actor. */
export async function makeActor(db: Db, role: Role, productLineIds: number[] = []): Promise<Actor> {
  const user = await db.user.create({
    data: {
      username: `${role.toLowerCase()}-${crypto.randomBytes(3).toString("hex")}`,
      displayName: role,
      role,
      memberships: { create: productLineIds.map((productLineId) => ({ productLineId })) },
    },
  });
  return (await loadActor(db, user.id))!;
}
