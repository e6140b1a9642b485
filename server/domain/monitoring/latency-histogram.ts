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

/** Per-bucket counts of one command's cumulative histogram. */
function toBuckets(cumulative: Record<string, number>): Histogram {
  const bounds = Object.keys(cumulative).map(Number).sort((a, b) => a - b);
  const out: Histogram = {};
  let below = 0;
  for (const b of bounds) {
    const c = cumulative[String(b)]!;
    out[String(b)] = c - below;
    below = c;
  }
  return out;
}

/**
 * Calls per bucket during the interval, all commands together. A command whose counts went down
 * (the instance restarted) counts from zero, i.e. its current counts are all new.
 */
export function intervalHistogram(previous: CumulativeHistograms | undefined, current: CumulativeHistograms): Histogram {
  const out: Histogram = {};
  for (const [cmd, cum] of Object.entries(current)) {
    const now = toBuckets(cum);
    const before = previous?.[cmd] ? toBuckets(previous[cmd]!) : {};
    const reset = Object.entries(before).some(([b, c]) => (now[b] ?? 0) < c);
    for (const [b, c] of Object.entries(now)) {
      const d = reset ? c : c - (before[b] ?? 0);
      if (d > 0) out[b] = (out[b] ?? 0) + d;
    }
  }
  return out;
}

/** The bucket bound under which a fraction q of the calls fell (an upper estimate), or null when empty. */
export function histogramPercentile(h: Histogram, q: number): number | null {
  const bounds = Object.keys(h).map(Number).sort((a, b) => a - b);
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
