import { dueOperations, isRead, type TrafficSettings } from "./limits";
import type { LoadClient } from "./clients";

export type TrafficProgress = { sent: number; ok: number; reads: number; writes: number; elapsedMs: number };

const TICK_MS = 50;
const KEYSPACE = 10_000;

/**
 * Sends `ratePerSec` operations per second for `durationSec` (or until `shouldStop` says so),
 * in small pipelined batches every tick; behind schedule it catches up rather than drifting.
 */
export async function generateTraffic(
  client: LoadClient,
  s: TrafficSettings,
  hooks: { shouldStop: () => Promise<boolean> | boolean; onProgress?: (p: TrafficProgress) => Promise<void> | void; progressEveryMs?: number },
): Promise<TrafficProgress & { stopped: boolean }> {
  const start = Date.now();
  const end = start + s.durationSec * 1000;
  const p: TrafficProgress = { sent: 0, ok: 0, reads: 0, writes: 0, elapsedMs: 0 };
  let lastProgress = start;
  let lastStopCheck = start - 1000; // a stop asked while the job waited in the queue counts at once
  let stopped = false;
  while (Date.now() < end) {
    const now = Date.now();
    if (now - lastStopCheck >= 1000) {
      lastStopCheck = now;
      if (await hooks.shouldStop()) {
        stopped = true;
        break;
      }
    }
    const due = Math.min(dueOperations(s.ratePerSec, now - start), s.ratePerSec * s.durationSec) - p.sent;
    if (due > 0) {
      const ops = Array.from({ length: due }, (_, k) => {
        const read = isRead(p.sent + k, s.readRatio);
        // Writes walk the key space; reads pick among keys already written, so the hit ratio is real.
        const key = read ? (p.reads++ * 7919) % Math.max(1, Math.min(p.writes, KEYSPACE)) : p.writes++ % KEYSPACE;
        return { read, key: `hedwig:demo:${key}` };
      });
      p.ok += await client.batch(ops);
      p.sent += due;
    }
    p.elapsedMs = Date.now() - start;
    if (hooks.onProgress && Date.now() - lastProgress >= (hooks.progressEveryMs ?? 10_000)) {
      lastProgress = Date.now();
      await hooks.onProgress(p);
    }
    await new Promise((r) => setTimeout(r, TICK_MS));
  }
  p.elapsedMs = Date.now() - start;
  return { ...p, stopped };
}
