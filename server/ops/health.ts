import type { DbTx } from "../db/client";
import { readMigrations } from "../db/migrate";
import { QUEUE } from "../jobs/queue";

export type Check = { ok: boolean; detail?: string };
export type Readiness = { ready: boolean; checks: { database: Check; queue: Check; migrations: Check } };

let expected: string[] | null = null;
// the files do not change under a running process: read them once
const expectedMigrations = () => (expected ??= readMigrations().map((m) => m.name));

// a probe that hangs is as bad as one that fails: the load balancer must get an answer
const CHECK_TIMEOUT_MS = 2_000;

async function check(fn: () => Promise<Check>): Promise<Check> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Check>((resolve) => (timer = setTimeout(() => resolve({ ok: false, detail: "timeout" }), CHECK_TIMEOUT_MS)));
  try {
    return await Promise.race([fn(), timeout]);
  } catch (e) {
    // the driver's message can name the database's address, never a password; the class of error is enough
    return { ok: false, detail: (e as Error).name || "error" };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Whether this process can serve: the database answers, pg-boss's schema and Hedwig's queue are
 * there (a job can be queued), and every migration in prisma/migrations is applied. `/healthz`
 * asks none of it: alive is only "the process answers".
 */
export async function readiness(db: DbTx): Promise<Readiness> {
  const [database, queue, migrations] = await Promise.all([
    check(async () => {
      await db.$queryRaw`SELECT 1`;
      return { ok: true };
    }),
    check(async () => {
      const rows = await db.$queryRaw<{ n: bigint }[]>`
        SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'pgboss' AND table_name = 'queue'`;
      if (!rows[0]?.n) return { ok: false, detail: "pg-boss is not installed" };
      const queues = await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM "pgboss"."queue" WHERE "name" = ${QUEUE}`;
      return queues[0]?.n ? { ok: true } : { ok: false, detail: `queue ${QUEUE} missing` };
    }),
    check(async () => {
      const applied = new Set(
        (
          await db.$queryRaw<{ migration_name: string }[]>`
            SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`
        ).map((r) => r.migration_name),
      );
      const pending = expectedMigrations().filter((name) => !applied.has(name)).length;
      return pending ? { ok: false, detail: `${pending} pending` } : { ok: true };
    }),
  ]);
  return { ready: database.ok && queue.ok && migrations.ok, checks: { database, queue, migrations } };
}

/** The JSON answers both the web and the worker processes give. */
export async function readinessResponse(db: DbTx): Promise<{ status: number; body: Readiness }> {
  const r = await readiness(db);
  return { status: r.ready ? 200 : 503, body: r };
}

export const aliveBody = () => ({ alive: true, pid: process.pid, uptimeSec: Math.round(process.uptime()) });
