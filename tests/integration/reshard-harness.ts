import { Redis } from "ioredis";
import { renderNutcrackerYml } from "../../server/domain/provisioning/configs/nutcracker-yml";
import type { Shard } from "../../server/domain/reshard/moves";
import { ProcessFleet } from "./monitoring-fleet";

/**
 * Redis shards behind one nutcracker on real processes, logged in as a Hedwig-delivered service
 * is (the application as Redis's default user, which nutcracker's redis_auth sends; Hedwig's
 * operations user beside it), for the reshard tests and bench.
 */
export const APP_PASSWORD = "app-secret-for-reshard-tests-0123456789";
export const OPS = { username: "hedwig-ops", password: "ops-secret-for-reshard-tests-0123456789" };

export class ShardedService {
  readonly fleet = new ProcessFleet();
  constructor(
    readonly ip: string,
    readonly service: string,
    readonly firstPort: number,
    readonly proxyPort: number,
  ) {}

  shard(i: number): Shard {
    return { name: `${this.service}-${i}`, ip: this.ip, port: this.firstPort + i, weight: 1 };
  }

  layout(n: number): Shard[] {
    return Array.from({ length: n }, (_, i) => this.shard(i));
  }

  async startShard(i: number) {
    await this.fleet.redis(this.ip, this.firstPort + i, [
      // one argument per word: redis-server joins them into the config line
      ...["--user", "default", "on", `>${APP_PASSWORD}`, "~*", "&*", "+@all", "-@admin", "-@dangerous"],
      ...["--user", OPS.username, "on", `>${OPS.password}`, "~*", "&*", "+@all"],
    ]);
  }

  stopShard(i: number) {
    return this.fleet.stop(this.ip, this.firstPort + i);
  }

  /** (Re)starts the proxy with this layout, as a switch does. */
  async proxy(layout: Shard[]) {
    await this.fleet.stop(this.ip, this.proxyPort);
    await this.fleet.nutcracker(
      this.ip,
      this.proxyPort,
      this.proxyPort + 1000,
      renderNutcrackerYml({ pool: this.service, listen: { ip: this.ip, port: this.proxyPort }, redis: true, servers: layout, redisAuth: APP_PASSWORD }),
    );
  }

  /** As an application connects through the proxy: RESP2, no handshake, reconnecting after a proxy restart. */
  client(): Redis {
    const r = new Redis({
      host: this.ip,
      port: this.proxyPort,
      password: APP_PASSWORD,
      protocol: 2,
      enableReadyCheck: false,
      disableClientInfo: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => 20,
    });
    // refused connections while the proxy restarts: the failed requests are counted where they are made
    r.on("error", () => undefined);
    return r;
  }

  direct(i: number): Redis {
    return new Redis({ host: this.ip, port: this.firstPort + i, ...OPS, protocol: 2, disableClientInfo: true, lazyConnect: false });
  }

  stop() {
    return this.fleet.stopAll();
  }
}

/**
 * A client writing through the proxy at a steady rate while a move runs: new keys, counters
 * incremented, preloaded keys deleted. Records what was acknowledged (a write that failed may or
 * may not have happened, and is counted apart), and the longest wait for an answer.
 */
export class Writer {
  readonly acked = new Map<string, string>();
  readonly deleted = new Set<string>();
  /** deletes that failed: the key may be there or not */
  readonly maybeDeleted = new Set<string>();
  readonly incrAcked = new Map<string, number>();
  readonly incrFailed = new Map<string, number>();
  failed = 0;
  reads = 0;
  readFailures = 0;
  longestMs = 0;
  private running = false;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly r: Redis,
    private readonly perSecond: number,
    private readonly preloaded: (i: number) => string,
  ) {}

  start() {
    this.running = true;
    this.loop = this.run();
  }

  async stop() {
    this.running = false;
    await this.loop;
  }

  private async timed<T>(p: Promise<T>): Promise<T> {
    const t0 = Date.now();
    try {
      return await p;
    } finally {
      this.longestMs = Math.max(this.longestMs, Date.now() - t0);
    }
  }

  private async run() {
    let n = 0;
    const t0 = Date.now();
    while (this.running) {
      const due = Math.floor(((Date.now() - t0) / 1000) * this.perSecond);
      const ops: Promise<void>[] = [];
      for (; n < due; n++) {
        const i = n;
        const key = `w:${i}`;
        ops.push(
          this.timed(this.r.set(key, `v${i}`)).then(
            () => void this.acked.set(key, `v${i}`),
            () => void this.failed++,
          ),
        );
        const counter = `c:${i % 50}`;
        ops.push(
          this.timed(this.r.incr(counter)).then(
            () => void this.incrAcked.set(counter, (this.incrAcked.get(counter) ?? 0) + 1),
            () => void this.incrFailed.set(counter, (this.incrFailed.get(counter) ?? 0) + 1),
          ),
        );
        if (i % 10 === 0) {
          const gone = this.preloaded(i);
          ops.push(
            this.timed(this.r.del(gone)).then(
              () => void this.deleted.add(gone),
              () => {
                this.failed++;
                this.maybeDeleted.add(gone);
              },
            ),
          );
          ops.push(
            this.timed(this.r.get(`w:${i >> 1}`)).then(
              () => void this.reads++,
              () => void this.readFailures++,
            ),
          );
        }
      }
      await Promise.all(ops);
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}

/** Loads n string keys `k:<i>` (every third with a TTL of an hour) and a hash `h:<i>` beside every hundredth, through the proxy. */
export async function preload(svc: ShardedService, n: number) {
  const c = svc.client();
  for (let i = 0; i < n; i += 5_000) {
    const p = c.pipeline();
    for (let j = i; j < Math.min(n, i + 5_000); j++) {
      if (j % 3 === 0) p.set(`k:${j}`, `value-${j}`, "EX", 3600);
      else p.set(`k:${j}`, `value-${j}`);
      if (j % 100 === 1) p.hset(`h:${j}`, { a: String(j), b: "x" });
    }
    const res = (await p.exec())!;
    if (res.some(([e]) => e)) throw res.find(([e]) => e)![0]!;
  }
  c.disconnect();
}

/**
 * Every key accounted for through the proxy after all the writers so far: preloaded ones (unless
 * deleted), hashes, acknowledged writes, counters (at least the acknowledged increments, at most
 * those plus the failed ones).
 */
export async function account(svc: ShardedService, n: number, writers: Writer[]) {
  const c = svc.client();
  const problems: string[] = [];
  const deleted = new Set(writers.flatMap((w) => [...w.deleted]));
  const maybe = new Set(writers.flatMap((w) => [...w.maybeDeleted]));
  const expected: [string, string | null][] = [];
  for (let j = 0; j < n; j++) if (!maybe.has(`k:${j}`)) expected.push([`k:${j}`, deleted.has(`k:${j}`) ? null : `value-${j}`]);
  for (const w of writers) for (const [k, v] of w.acked) expected.push([k, v]);
  for (let i = 0; i < expected.length; i += 5_000) {
    const part = expected.slice(i, i + 5_000);
    const got = await c.mget(...part.map(([k]) => k));
    part.forEach(([k, v], j) => {
      if (got[j] !== v) problems.push(`${k}: ${got[j]} (expected ${v})`);
    });
  }
  for (let j = 1; j < n; j += 100) {
    const h = await c.hgetall(`h:${j}`);
    if (h.a !== String(j)) problems.push(`h:${j}: ${JSON.stringify(h)}`);
  }
  const sum = (m: (w: Writer) => Map<string, number>, k: string) => writers.reduce((x, w) => x + (m(w).get(k) ?? 0), 0);
  for (const k of new Set(writers.flatMap((w) => [...w.incrAcked.keys()]))) {
    const v = Number(await c.get(k));
    const acked = sum((w) => w.incrAcked, k);
    const failed = sum((w) => w.incrFailed, k);
    if (v < acked || v > acked + failed) problems.push(`${k}: ${v} (acknowledged ${acked}, failed ${failed})`);
  }
  c.disconnect();
  return { problems, checked: expected.length };
}

/** Keys held by shards that the layout does not route to them (none after a clean move). */
export async function strays(svc: ShardedService, shards: number[], owner: (k: Buffer) => string) {
  let n = 0;
  for (const i of shards) {
    const r = svc.direct(i);
    let cursor = "0";
    do {
      const [next, keys] = await r.scanBuffer(cursor, "COUNT", 5000);
      cursor = next.toString();
      n += keys.filter((k) => owner(k) !== svc.shard(i).name).length;
    } while (cursor !== "0");
    r.disconnect();
  }
  return n;
}
