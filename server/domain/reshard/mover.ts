import { Redis } from "ioredis";
import type { RedisAuth } from "../credentials/model";
import { authOptions } from "../provisioning/deploy/probes";
import { movingShares, ownerByName, type Shard } from "./moves";
import { text } from "../../../lib/text";
import { precondition } from "../errors";

/** What a running move reports about once a second. */
export type MoveProgress = { moved: number; total: number; ratePerSec: number; etaSec: number | null };

export type MoveOptions = {
  /** Hedwig's operations login, the same on every shard of the service */
  auth: RedisAuth | null;
  onProgress?: (p: MoveProgress) => void | Promise<void>;
  /** keys per SCAN and per MIGRATE */
  batch?: number;
};

const SCAN_BATCH = 2_000;
/** catch-up rounds while writes go on, before the writes pause for the last one */
const MAX_CATCHUP_ROUNDS = 5;
/** few enough keys left to copy under the pause */
const PAUSE_WHEN_BELOW = 2_000;
/** keyspace events of every kind (K: per key, A: all classes: generic, string, list, set, hash, zset, expired, evicted, stream) */
const EVENTS = "KA";
const PREFIX = Buffer.from("__keyspace@0__:");

const client = (s: Shard, auth: RedisAuth | null) =>
  new Redis({
    host: s.ip,
    port: s.port,
    ...authOptions(auth),
    protocol: 2,
    disableClientInfo: true,
    enableReadyCheck: false,
    lazyConnect: true,
    connectTimeout: 3000,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });

type Source = { shard: Shard; r: Redis; sub: Redis; dirty: Map<string, Buffer>; eventsBefore: string };

/**
 * Moves the keys whose owner changes from one Twemproxy layout to the other while clients keep
 * writing through the proxies:
 *
 * 1. every shard that gives keys reports each key written (keyspace notifications, subscribed
 *    before anything is copied, so no write goes unseen);
 * 2. its keys are scanned and the moving ones copied with `MIGRATE … COPY REPLACE KEYS` (TTL kept,
 *    the source keeps its copy until the proxies have switched);
 * 3. the keys written meanwhile are copied again, a few rounds, until few are left;
 * 4. `cutover`: writes pause on the giving shards (`CLIENT PAUSE … WRITE`, reads go on), the last
 *    written keys are copied (DUMP/RESTORE: MIGRATE is a write the pause would hold), writes pause on
 *    the receiving shards too, the caller switches every proxy, and all shards resume;
 * 5. `cleanup`: each shard deletes the keys it no longer owns.
 *
 * Before the cutover nothing clients see has changed, so a failure undoes by deleting the copies
 * (`cleanup` with the old layout on the receiving shards).
 */
export class KeyMover {
  private readonly sources: Source[] = [];
  private readonly targets = new Map<string, Redis>();
  private readonly ownerAfter: (key: Uint8Array) => string;
  private readonly started = Date.now();
  private total = 0;
  moved = 0;
  /** the longest the writes were held in `cutover`, ms */
  pauseMs = 0;

  constructor(
    readonly from: Shard[],
    readonly to: Shard[],
    private readonly opts: MoveOptions,
  ) {
    this.ownerAfter = ownerByName(to);
  }

  private target(name: string): Redis {
    const t = this.targets.get(name);
    if (t) return t;
    const s = this.to.find((x) => x.name === name)!;
    const r = client(s, this.opts.auth);
    this.targets.set(name, r);
    return r;
  }

  /** Subscribes to every giving shard's writes and counts what is to move. */
  async open(): Promise<void> {
    const shares = movingShares(this.from, this.to).filter((s) => s.share > 0);
    for (const { source, owned, share } of shares) {
      const shard = this.from.find((s) => s.name === source)!;
      const r = client(shard, this.opts.auth);
      const sub = client(shard, this.opts.auth);
      const src: Source = { shard, r, sub, dirty: new Map(), eventsBefore: "" };
      this.sources.push(src);
      await r.connect();
      await sub.connect();
      src.eventsBefore = ((await r.config("GET", "notify-keyspace-events")) as string[])[1] ?? "";
      await r.config("SET", "notify-keyspace-events", EVENTS);
      sub.on("pmessageBuffer", (_pattern: Buffer, channel: Buffer) => {
        const key = channel.subarray(PREFIX.length);
        if (this.ownerAfter(key) !== shard.name) src.dirty.set(key.toString("latin1"), key);
      });
      await sub.psubscribe(`${PREFIX.toString()}*`);
      this.total += Math.round((Number(await r.dbsize()) * share) / owned);
    }
    for (const name of new Set(this.to.map((s) => s.name))) await this.target(name).connect();
  }

  /** Copies every moving key once (while clients write on), then catches up in rounds. */
  async copy(): Promise<void> {
    const batch = this.opts.batch ?? SCAN_BATCH;
    await Promise.all(
      this.sources.map(async (src) => {
        let cursor = "0";
        do {
          const [next, keys] = await src.r.scanBuffer(cursor, "COUNT", batch);
          cursor = next.toString();
          const byTarget = new Map<string, Buffer[]>();
          for (const k of keys) {
            const owner = this.ownerAfter(k);
            if (owner === src.shard.name) continue;
            byTarget.set(owner, [...(byTarget.get(owner) ?? []), k]);
          }
          for (const [owner, ks] of byTarget) await this.migrate(src, owner, ks);
          await this.report();
        } while (cursor !== "0");
      }),
    );
    for (let round = 0; round < MAX_CATCHUP_ROUNDS && this.dirtyCount() >= PAUSE_WHEN_BELOW; round++) await this.catchUp();
    await this.report(true);
  }

  private async migrate(src: Source, owner: string, keys: Buffer[]) {
    const t = this.to.find((s) => s.name === owner)!;
    const auth = this.opts.auth;
    const login = !auth ? [] : auth.username ? ["AUTH2", auth.username, auth.password] : ["AUTH", auth.password];
    await src.r.callBuffer("MIGRATE", t.ip, String(t.port), "", "0", "10000", "COPY", "REPLACE", ...login, "KEYS", ...keys);
    this.moved += keys.length;
  }

  private dirtyCount() {
    return this.sources.reduce((n, s) => n + s.dirty.size, 0);
  }

  /** Copies the keys written since they were last copied (DUMP + PTTL, then RESTORE … REPLACE, or DEL when gone). */
  private async catchUp(): Promise<number> {
    let n = 0;
    await Promise.all(
      this.sources.map(async (src) => {
        const keys = [...src.dirty.values()];
        src.dirty.clear();
        for (let i = 0; i < keys.length; i += SCAN_BATCH) {
          const part = keys.slice(i, i + SCAN_BATCH);
          const read = src.r.pipeline();
          for (const k of part) read.dumpBuffer(k).pttl(k);
          const res = (await read.exec())!;
          const writes = new Map<string, ReturnType<Redis["pipeline"]>>();
          part.forEach((k, j) => {
            const [e1, dump] = res[j * 2]!;
            const [e2, ttl] = res[j * 2 + 1]!;
            if (e1 || e2) throw e1 ?? e2;
            const owner = this.ownerAfter(k);
            const p = writes.get(owner) ?? this.target(owner).pipeline();
            writes.set(owner, p);
            if (dump === null) p.del(k);
            else p.restore(k, Math.max(0, Number(ttl)), dump as Buffer, "REPLACE");
          });
          for (const p of writes.values()) for (const [e] of (await p.exec())!) if (e) throw e;
          n += part.length;
        }
      }),
    );
    return n;
  }

  /**
   * Holds writes on the giving shards, copies the last written keys, holds the receiving shards too,
   * lets `switchProxies` point every proxy at the new layout, and releases all. Should the switch
   * fail, `unswitch` points them all back before the writes resume, so no write lands where the old
   * layout does not look. `capMs` bounds the pause should Hedwig die in between (Redis lifts it).
   */
  async cutover(switchProxies: () => Promise<void>, unswitch: () => Promise<void>, capMs = 30_000): Promise<{ lastKeys: number; pauseMs: number }> {
    const t0 = Date.now();
    const paused: Redis[] = [];
    const pause = async (r: Redis) => {
      await r.call("CLIENT", "PAUSE", String(capMs), "WRITE");
      paused.push(r);
    };
    try {
      for (const s of this.sources) await pause(s.r);
      // a PING answered on the subscriber comes after every notification of a write made before the pause
      await Promise.all(this.sources.map((s) => s.sub.ping()));
      const lastKeys = await this.catchUp();
      const givers = new Set(this.sources.map((s) => s.shard.name));
      for (const [name, r] of this.targets) if (!givers.has(name)) await pause(r);
      try {
        await switchProxies();
        if (Date.now() - t0 >= capMs) throw precondition(text("jobErrors.reshard.switchTooLong", { ms: capMs }));
      } catch (e) {
        await unswitch();
        throw e;
      }
      this.pauseMs = Date.now() - t0;
      return { lastKeys, pauseMs: this.pauseMs };
    } finally {
      for (const r of paused) await r.call("CLIENT", "UNPAUSE").catch(() => undefined);
    }
  }

  private lastReport = 0;
  private async report(force = false) {
    const now = Date.now();
    if (!this.opts.onProgress || (!force && now - this.lastReport < 1000)) return;
    this.lastReport = now;
    const secs = Math.max(0.001, (now - this.started) / 1000);
    const ratePerSec = Math.round(this.moved / secs);
    const total = Math.max(this.total, this.moved);
    await this.opts.onProgress({ moved: this.moved, total, ratePerSec, etaSec: ratePerSec > 0 ? Math.ceil((total - this.moved) / ratePerSec) : null });
  }

  /** Unsubscribes, gives each shard back its notification setting, disconnects. */
  async close(): Promise<void> {
    for (const s of this.sources) {
      await s.r.config("SET", "notify-keyspace-events", s.eventsBefore).catch(() => undefined);
      s.sub.disconnect();
      s.r.disconnect();
    }
    for (const r of this.targets.values()) r.disconnect();
  }
}

/**
 * Deletes from each shard the keys the layout does not route to it: after a cutover (old shards
 * drop what moved away) or to undo a copy (receiving shards drop what was copied in).
 */
export async function dropForeignKeys(shards: Shard[], layout: Shard[], auth: RedisAuth | null): Promise<number> {
  const owner = ownerByName(layout);
  let dropped = 0;
  await Promise.all(
    shards.map(async (s) => {
      const r = client(s, auth);
      await r.connect();
      try {
        let cursor = "0";
        do {
          const [next, keys] = await r.scanBuffer(cursor, "COUNT", SCAN_BATCH);
          cursor = next.toString();
          const foreign = keys.filter((k) => owner(k) !== s.name);
          if (foreign.length > 0) {
            await r.unlink(...foreign);
            dropped += foreign.length;
          }
        } while (cursor !== "0");
      } finally {
        r.disconnect();
      }
    }),
  );
  return dropped;
}
