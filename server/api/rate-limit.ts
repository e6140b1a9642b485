/**
 * Calls per minute per caller of /api/v1 (a token, or a console session), so a runaway script
 * slows down instead of starving the console: a fixed one-minute window per caller, in this
 * process's memory (one Hedwig process serves the API). HEDWIG_API_CALLS_PER_MINUTE changes it.
 */
export const API_CALLS_PER_MINUTE = Number(process.env.HEDWIG_API_CALLS_PER_MINUTE) || 1200;
const WINDOW_MS = 60_000;
/** Forgotten windows are swept once the table is this large (callers with random tokens). */
const SWEEP_AT = 10_000;

export class RateLimiter {
  private windows = new Map<string, { start: number; count: number }>();
  constructor(readonly perMinute = API_CALLS_PER_MINUTE) {}

  /** Counts one call; null when allowed, else the seconds until the caller's window ends. */
  take(caller: string, now = Date.now()): number | null {
    let w = this.windows.get(caller);
    if (!w || now - w.start >= WINDOW_MS) {
      if (this.windows.size >= SWEEP_AT) for (const [k, v] of this.windows) if (now - v.start >= WINDOW_MS) this.windows.delete(k);
      this.windows.set(caller, (w = { start: now, count: 0 }));
    }
    if (w.count >= this.perMinute) return Math.max(1, Math.ceil((w.start + WINDOW_MS - now) / 1000));
    w.count++;
    return null;
  }
}
