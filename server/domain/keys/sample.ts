import type { Redis } from "ioredis";

export type KeyFigure = { key: string; type: string; bytes: number; elements: number };
export type HotKey = { key: string; type: string; freq: number };
export type ShardSample = {
  scanned: number;
  seconds: number;
  policy: string;
  bySize: KeyFigure[];
  byElements: KeyFigure[];
  /** null: the master's maxmemory-policy is not an LFU one, so Redis keeps no access frequency */
  hot: HotKey[] | null;
};

/** Keys per SCAN batch: small, so one batch never holds the server for long. */
export const BATCH = 100;
/** MEMORY USAGE SAMPLES: a few nested values estimate a large aggregate without walking all of it. */
const MEMORY_SAMPLES = "5";

const LENGTH: Record<string, string> = { string: "strlen", list: "llen", hash: "hlen", set: "scard", zset: "zcard", stream: "xlen" };

export const isLfu = (policy: string) => policy.endsWith("-lfu");

/** Keeps the n largest by `by`, in order (a small sorted array: n is at most a hundred). */
function keepTop<T>(list: T[], item: T, n: number, by: (t: T) => number) {
  if (list.length >= n && by(item) <= by(list[list.length - 1]!)) return;
  const i = list.findIndex((x) => by(x) < by(item));
  list.splice(i < 0 ? list.length : i, 0, item);
  if (list.length > n) list.pop();
}

/**
 * One shard's keys, read on `source` (a linked replica where there is one): SCAN in batches, per key
 * TYPE, MEMORY USAGE and its element count, pipelined; between batches a pause that holds the rate to
 * `keysPerSecond`. Hot keys come from `master` (reads land there), by OBJECT FREQ, which touches nothing;
 * it is read before the size commands so the sampling does not count as access on the master.
 */
export async function sampleShard(
  source: Redis,
  master: Redis,
  opts: { keysPerSecond: number; top: number; sleep?: (ms: number) => Promise<void> },
): Promise<ShardSample> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const [, policy] = (await master.call("CONFIG", "GET", "maxmemory-policy")) as [string, string];
  const hot: HotKey[] | null = isLfu(policy) ? [] : null;
  const bySize: KeyFigure[] = [];
  const byElements: KeyFigure[] = [];
  const started = Date.now();
  let scanned = 0;
  let cursor = "0";
  do {
    const batchStart = Date.now();
    const [next, keys] = await source.scan(cursor, "COUNT", BATCH);
    cursor = next;
    if (keys.length > 0) {
      const freqs = hot ? ((await master.pipeline(keys.map((k) => ["object", "freq", k])).exec()) ?? []) : [];
      const types = ((await source.pipeline(keys.map((k) => ["type", k])).exec()) ?? []).map(([, t]) => String(t));
      const sized =
        (await source
          .pipeline(keys.flatMap((k, i) => [["memory", "usage", k, "SAMPLES", MEMORY_SAMPLES], LENGTH[types[i]!] ? [LENGTH[types[i]!]!, k] : ["exists", k]]))
          .exec()) ?? [];
      keys.forEach((key, i) => {
        const type = types[i]!;
        // a key gone between SCAN and its reads answers none or an error: it is skipped
        if (type === "none") return;
        const [e1, bytes] = sized[2 * i]!;
        const [e2, elements] = sized[2 * i + 1]!;
        if (e1 || e2 || bytes === null) return;
        const f: KeyFigure = { key, type, bytes: Number(bytes), elements: LENGTH[type] ? Number(elements) : 1 };
        keepTop(bySize, f, opts.top, (x) => x.bytes);
        keepTop(byElements, f, opts.top, (x) => x.elements);
        const [e3, freq] = freqs[i] ?? [null, null];
        if (hot && !e3 && freq !== null) keepTop(hot, { key, type, freq: Number(freq) }, opts.top, (x) => x.freq);
      });
      scanned += keys.length;
    }
    // the rate limit: this batch may take keys/rate seconds at the least
    const wait = (keys.length / opts.keysPerSecond) * 1000 - (Date.now() - batchStart);
    if (wait > 0 && cursor !== "0") await sleep(wait);
  } while (cursor !== "0");
  return { scanned, seconds: (Date.now() - started) / 1000, policy, bySize, byElements, hot };
}
