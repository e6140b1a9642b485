import pg from "pg";
import type { DbTx } from "../db/client";

/**
 * Who runs a job, proven by a PostgreSQL session advisory lock on its id, held on a connection of
 * its own for as long as the job runs. A worker that dies loses its connection and so its lock at
 * once, which is how other workers tell a running job from an abandoned one (pg-boss alone would
 * wait for the message's 15-minute expiry, and its stately policy would hold the queue meanwhile).
 * Returns the release function, or null when another live worker holds the job.
 */
export async function holdJob(url: string, jobId: string): Promise<(() => Promise<void>) | null> {
  const client = new pg.Client({ connectionString: url });
  // A dropped connection (the database restarting) releases the lock by itself; without a listener
  // its 'error' event would end the whole worker process.
  client.on("error", () => {});
  await client.connect();
  const { rows } = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock(hashtextextended($1, 4242)) AS ok", [jobId]);
  if (!rows[0]?.ok) {
    await client.end();
    return null;
  }
  return async () => {
    await client.query("SELECT pg_advisory_unlock(hashtextextended($1, 4242))", [jobId]).catch(() => {});
    await client.end().catch(() => {});
  };
}

/** holdJob's lock taken for the length of the caller's transaction instead; false when someone else holds it. */
export async function tryHoldInTransaction(tx: DbTx, key: string): Promise<boolean> {
  const [row] = await tx.$queryRaw<{ ok: boolean }[]>`SELECT pg_try_advisory_xact_lock(hashtextextended(${key}, 4242)) AS ok`;
  return row?.ok === true;
}
