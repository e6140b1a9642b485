/**
 * Rates from cumulative counters. A counter only goes up while its process lives; a different
 * process identity (Redis run_id, Memcached pid and start time, Twemproxy start time) or any counter
 * that went backwards means the instance restarted: that interval has no rate (null), never a
 * negative one, and the new values become the baseline.
 */
export type Counters = Record<string, number>;

export interface CounterReading {
  /** ms since the epoch */
  at: number;
  /** what identifies one run of the process */
  epoch: string;
  counters: Counters;
}

export type Deltas = { seconds: number; deltas: Counters };

/** The increase of every counter since the previous reading, or null when there is no usable baseline. */
export function counterDeltas(previous: CounterReading | undefined, current: CounterReading): Deltas | null {
  if (!previous || previous.epoch !== current.epoch) return null;
  const seconds = (current.at - previous.at) / 1000;
  if (!(seconds > 0)) return null;
  const deltas: Counters = {};
  for (const [name, value] of Object.entries(current.counters)) {
    const before = previous.counters[name];
    if (before === undefined) continue;
    if (value < before) return null;
    deltas[name] = value - before;
  }
  return { seconds, deltas };
}

/** delta / seconds for a counter, or null when the interval had no baseline or the counter is unknown. */
export function rate(d: Deltas | null, name: string, minus = 0): number | null {
  if (!d) return null;
  const v = d.deltas[name];
  return v === undefined ? null : Math.max(0, v - minus) / d.seconds;
}
