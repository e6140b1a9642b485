import type { Text, TextParams } from "../../../../lib/text";

/**
 * The demo traffic generator's bounds, pure: a rate and a duration under caps, a read/write mix,
 * and a target on this machine's loopback only (127.0.0.0/8): it must never load a real service.
 */

export const TRAFFIC_MAX_RATE = 2000;
export const TRAFFIC_MAX_SECONDS = 600;

// Shared with the browser, so it builds its texts without lib/text (the catalogue test checks the codes).
const text = (code: string, params?: TextParams): Text => (params ? { code, params } : { code });

export type TrafficSettings = { ratePerSec: number; durationSec: number; readRatio: number };

export function isLoopback(ip: string): boolean {
  const parts = ip.split(".");
  return parts.length === 4 && parts[0] === "127" && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

/** Every way the settings are out of bounds, as texts; empty when they may run. */
export function trafficProblems(s: TrafficSettings, target: { host: string | null; port: number | null }): Text[] {
  const out: Text[] = [];
  if (!Number.isInteger(s.ratePerSec) || s.ratePerSec < 1 || s.ratePerSec > TRAFFIC_MAX_RATE) {
    out.push(text("refusals.traffic.rate", { max: TRAFFIC_MAX_RATE, asked: s.ratePerSec }));
  }
  if (!Number.isInteger(s.durationSec) || s.durationSec < 1 || s.durationSec > TRAFFIC_MAX_SECONDS) {
    out.push(text("refusals.traffic.duration", { max: TRAFFIC_MAX_SECONDS, asked: s.durationSec }));
  }
  if (!(s.readRatio >= 0 && s.readRatio <= 1)) out.push(text("refusals.traffic.readShare", { asked: s.readRatio }));
  if (!target.host || !target.port) out.push(text("refusals.traffic.noEntry"));
  else if (!isLoopback(target.host)) out.push(text("refusals.traffic.notLoopback", { entry: `${target.host}:${target.port}` }));
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
