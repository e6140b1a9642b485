import type PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db/client";
import { startQueue } from "../../server/jobs/queue";
import { readiness } from "../../server/ops/health";
import { startOpsServer } from "../../server/ops/http";
import { freshDatabase } from "./db";

let db: Db;
let url: string;
let boss: PgBoss | null = null;
let ops: Awaited<ReturnType<typeof startOpsServer>>;
const base = () => `http://127.0.0.1:${ops.port}`;

beforeAll(async () => {
  ({ db, url } = await freshDatabase());
  ops = await startOpsServer(db, { port: 0 });
});
afterAll(async () => {
  await ops?.close();
  await boss?.stop({ graceful: false, wait: true });
});

describe("probes", () => {
  it("/healthz answers without asking the database; /readyz names the queue until pg-boss is installed", async () => {
    const alive = await fetch(`${base()}/healthz`);
    expect(alive.status).toBe(200);
    expect(await alive.json()).toMatchObject({ alive: true, pid: process.pid });

    const before = await fetch(`${base()}/readyz`);
    expect(before.status).toBe(503);
    const body = (await before.json()) as Awaited<ReturnType<typeof readiness>>;
    expect(body.checks.database.ok).toBe(true);
    expect(body.checks.migrations.ok).toBe(true);
    expect(body.checks.queue).toMatchObject({ ok: false });

    boss = await startQueue(url);
    const after = await fetch(`${base()}/readyz`);
    expect(after.status).toBe(200);
    expect(await after.json()).toMatchObject({ ready: true, checks: { database: { ok: true }, queue: { ok: true }, migrations: { ok: true } } });
  });

  it("an unapplied migration makes the process not ready, and the web route says the same", async () => {
    const [last] = await db.$queryRaw<{ migration_name: string }[]>`
      SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name DESC LIMIT 1`;
    await db.$executeRaw`UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = ${last!.migration_name}`;
    try {
      const r = await readiness(db);
      expect(r.ready).toBe(false);
      expect(r.checks.migrations).toEqual({ ok: false, detail: "1 pending" });
      process.env.DATABASE_URL = url;
      const { GET } = await import("../../app/readyz/route");
      const web = await GET();
      expect(web.status).toBe(503);
      expect(await web.json()).toMatchObject({ ready: false, checks: { migrations: { ok: false } } });
    } finally {
      await db.$executeRaw`UPDATE "_prisma_migrations" SET rolled_back_at = NULL WHERE migration_name = ${last!.migration_name}`;
    }
    expect((await readiness(db)).ready).toBe(true);
  });

  it("a database that does not answer is reported, not thrown", async () => {
    const { createDb } = await import("../../server/db/client");
    const gone = createDb(url.replace(/:\d+\//, ":1/"), 1);
    try {
      const r = await readiness(gone);
      expect(r.ready).toBe(false);
      expect(r.checks.database.ok).toBe(false);
      // the answer never carries the connection string
      expect(JSON.stringify(r)).not.toContain(url.split("@")[0]!);
    } finally {
      await gone.$disconnect();
    }
  });
});
