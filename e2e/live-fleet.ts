import { createDb, type Db } from "../server/db/client";
import { opsAuth } from "../server/domain/credentials/store";
import { authOptions } from "../server/domain/provisioning/deploy/probes";

/** The e2e server's database: the fixtures make and remove test data in it, and specs wait on what the worker and the collector do (never to fake it). */
export function e2eDb(): Db {
  return createDb(`postgresql://hedwig:hedwig@127.0.0.1:${process.env.E2E_PG_PORT ?? 31330}/hedwig`, 2);
}

/** Polls `probe` each second until it answers, or fails after `timeoutMs`. */
export async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | null | undefined | false>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await probe();
    if (got) return got;
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/**
 * Hedwig's own login on a live service's Redis (its operations user), opened with the e2e server's
 * sealing key: the server keeps it in its data directory, .data/e2e.
 */
export async function opsLogin(db: Db, serviceId: number) {
  process.env.HEDWIG_DATA_DIR ??= ".data/e2e";
  return authOptions(await opsAuth(db, serviceId));
}
