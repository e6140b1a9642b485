/**
 * Redis 7 LATENCY HISTOGRAM: per command, a cumulative count of calls at or under each power-of-two
 * µs bound since start. The collector keeps the previous reply, takes the difference and adds the
 * commands together, which gives the response-time distribution of the interval.
 */

/** upper bound µs → calls at or under it (cumulative), per command */
export type CumulativeHistograms = Record<string, Record<string, number>>;
/** upper bound µs → calls in that bucket only */
export type Histogram = Record<string, number>;

/**
 * The raw reply: [cmd, ["calls", n, "histogram_usec", [bound, cumulative, bound, cumulative, …]], cmd, …].
 * Anything else (an older Redis answers with an error) gives an empty result.
 */
export function parseLatencyHistogramReply(reply: unknown): CumulativeHistograms {
  const out: CumulativeHistograms = {};
  if (!Array.isArray(reply)) return out;
  for (let i = 0; i + 1 < reply.length; i += 2) {
    const name = String(reply[i]);
    const body = reply[i + 1];
    if (!Array.isArray(body)) continue;
    const at = body.findIndex((x) => String(x) === "histogram_usec");
    const pairs = at >= 0 ? body[at + 1] : null;
    if (!Array.isArray(pairs)) continue;
    const h: Record<string, number> = {};
    for (let j = 0; j + 1 < pairs.length; j += 2) h[String(pairs[j])] = Number(pairs[j + 1]);
    out[name] = h;
  }
  return out;
}

/**
 * Calls per bucket during the interval, all commands together but those in `exclude` (the
 * collector's own). A command whose counts went down (the instance restarted) counts from zero,
 * i.e. its current counts are all new. Works on the cumulative counts and turns them into buckets
 * once: this runs for every poll.
 */
export function intervalHistogram(previous: CumulativeHistograms | undefined, current: CumulativeHistograms, exclude?: ReadonlySet<string>): Histogram {
  const out: Histogram = {};
  for (const cmd in current) {
    if (exclude?.has(cmd)) continue;
    const cum = current[cmd]!;
    const kept = previous?.[cmd];
    const before = kept && !wentDown(kept, cum) ? kept : undefined;
    const bounds = Object.keys(cum).sort((a, b) => Number(a) - Number(b));
    let below = 0;
    for (const b of bounds) {
      const delta = cum[b]! - (before?.[b] ?? 0);
      const inBucket = delta - below;
      below = delta;
      if (inBucket > 0) out[b] = (out[b] ?? 0) + inBucket;
    }
  }
  return out;
}

function wentDown(before: Record<string, number>, now: Record<string, number>): boolean {
  for (const b in before) if ((now[b] ?? 0) < before[b]!) return true;
  return false;
}

/** The bucket bound under which a fraction q of the calls fell (an upper estimate), or null when empty. */
export function histogramPercentile(h: Histogram, q: number): number | null {
  const bounds = Object.keys(h)
    .map(Number)
    .sort((a, b) => a - b);
  const total = bounds.reduce((s, b) => s + h[String(b)]!, 0);
  if (total === 0) return null;
  const target = q * total;
  let seen = 0;
  for (const b of bounds) {
    seen += h[String(b)]!;
    if (seen >= target) return b;
  }
  return bounds[bounds.length - 1]!;
}

/** Adds histograms (several instances of a service, several samples of a minute). */
export function mergeHistograms(hs: Iterable<Histogram | null | undefined>): Histogram {
  const out: Histogram = {};
  for (const h of hs) if (h) for (const [b, c] of Object.entries(h)) out[b] = (out[b] ?? 0) + c;
  return out;
}
