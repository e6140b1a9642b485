/**
 * The demo traffic generator's bounds, pure: a rate and a duration under caps, a read/write mix,
 * and a target on this machine's loopback only (127.0.0.0/8): it must never load a real service.
 */

export const TRAFFIC_MAX_RATE = 2000;
export const TRAFFIC_MAX_SECONDS = 600;

export type TrafficSettings = { ratePerSec: number; durationSec: number; readRatio: number };

export function isLoopback(ip: string): boolean {
  const parts = ip.split(".");
  return parts.length === 4 && parts[0] === "127" && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

/** Every way the settings are out of bounds, in words; empty when they may run. */
export function trafficProblems(s: TrafficSettings, target: { host: string | null; port: number | null }): string[] {
  const out: string[] = [];
  if (!Number.isInteger(s.ratePerSec) || s.ratePerSec < 1 || s.ratePerSec > TRAFFIC_MAX_RATE) {
    out.push(`the rate must be a whole number of operations per second from 1 to ${TRAFFIC_MAX_RATE} (asked: ${s.ratePerSec})`);
  }
  if (!Number.isInteger(s.durationSec) || s.durationSec < 1 || s.durationSec > TRAFFIC_MAX_SECONDS) {
    out.push(`the duration must be from 1 to ${TRAFFIC_MAX_SECONDS} seconds (10 minutes) (asked: ${s.durationSec})`);
  }
  if (!(s.readRatio >= 0 && s.readRatio <= 1)) out.push(`the read share must be between 0 and 1 (asked: ${s.readRatio})`);
  if (!target.host || !target.port) out.push("the service has no entry point (host and port) to send traffic to");
  else if (!isLoopback(target.host))
    out.push(`demo traffic goes only to loopback addresses (127.0.0.0/8); the entry point ${target.host}:${target.port} is not one`);
  return out;
}

/**
 * How many operations are due by `elapsedMs` at `rate` per second, and how many of those are
 * reads, so that the mix holds exactly over the run (not just on average).
 */
export function dueOperations(rate: number, elapsedMs: number): number {
  return Math.floor((rate * elapsedMs) / 1000);
}

export const isRead = (index: number, readRatio: number) => Math.floor((index + 1) * readRatio) > Math.floor(index * readRatio);
