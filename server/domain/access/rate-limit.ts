import type { DbTx } from "../../db/client";

/**
 * Calls per minute per caller of /api/v1 (a token, or a console session), so a runaway script
 * slows down instead of starving the console: a fixed one-minute window per caller, counted in
 * PostgreSQL (`ApiRateWindow`) rather than in a process's memory, because several web processes
 * serve the API and a per-process count would let each of them grant the whole budget.
 * HEDWIG_API_CALLS_PER_MINUTE changes it.
 */
export const API_CALLS_PER_MINUTE = Number(process.env.HEDWIG_API_CALLS_PER_MINUTE) || 1200;
const WINDOW_MS = 60_000;

export class RateLimiter {
  constructor(readonly perMinute = API_CALLS_PER_MINUTE) {}

  /**
   * Counts one call in one statement (concurrent processes cannot both read the same count); null
   * when allowed, else the seconds until the caller's window ends. `caller` is a hash or a user
   * id, never a token's secret. Windows follow the web process's clock, which is the same host's
   * or an NTP-kept one.
   */
  async take(db: DbTx, caller: string, at = new Date()): Promise<number | null> {
    const windowStart = new Date(Math.floor(at.getTime() / WINDOW_MS) * WINDOW_MS);
    const [row] = await db.$queryRaw<{ count: number }[]>`
      INSERT INTO "ApiRateWindow" ("caller", "windowStart", "count") VALUES (${caller}, ${windowStart}, 1)
      ON CONFLICT ("caller", "windowStart") DO UPDATE SET "count" = "ApiRateWindow"."count" + 1
      RETURNING "count"`;
    if (row!.count <= this.perMinute) return null;
    return Math.max(1, Math.ceil((windowStart.getTime() + WINDOW_MS - at.getTime()) / 1000));
  }
}

/** Forgets the windows that ended over a minute ago (the monitoring leader's tick, not the request path). */
export async function deleteOldRateWindows(db: DbTx, at: Date): Promise<number> {
  return (await db.apiRateWindow.deleteMany({ where: { windowStart: { lt: new Date(at.getTime() - 2 * WINDOW_MS) } } })).count;
}
