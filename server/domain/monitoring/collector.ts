import crypto from "node:crypto";
import os from "node:os";
import type { Db } from "../../db/client";
import { log } from "../../log";
import { processMetrics } from "../../ops/metrics";
import { followObservedRoles } from "../healing/roles";
import { leaderOf, ownerOf } from "./assignment";
import { pollMemcached, pollRedis, pollSentinel, pollTwemproxy, RedisConnections, type PollResult, type PollTarget } from "./poll";
import type { Cursor } from "./sample";
import { remoteMetricsUrl, writeRemoteSamples } from "./remote-store";
import { loadMonitoringSettings } from "./settings-store";
import { insertSamples, insertSlowlog, loadCursors, replaceClientSources, saveCursors } from "./store";
import { pollTargets } from "./targets";

export interface CollectorOptions {
  workerId?: string;
  /** overrides the interval setting (tests, benches) */
  intervalMs?: number;
  /** polls in flight at once */
  concurrency?: number;
  /** instances polled before their samples are written (the write overlaps the next chunk's polls) */
  chunk?: number;
  /** the fleet-wide work of the leader (health, alerts, rollups, retention, host probe) */
  maintenance?: (db: Db, at: Date, intervalSec: number, stopping: () => boolean) => Promise<void>;
  log?: (line: string) => void;
  /** a remote time-series store for raw samples (defaults to HEDWIG_METRICS_URL; null: PostgreSQL alone) */
  metricsUrl?: string | null;
}

export interface TickStats {
  at: Date;
  polled: number;
  up: number;
  leader: boolean;
  ms: number;
}

const CURSOR_SAVE_EVERY_MS = 60_000;

/** Runs jobs with at most `limit` of them in flight. */
async function inPool<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const k = next++;
      out[k] = await fn(items[k]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}

/**
 * The collector of one worker process. Every interval (aligned on multiples of it, so that all
 * workers stamp a tick with the same time and a service's instances add up per tick) it polls the
 * instances this worker owns, writes the samples in one statement per table, and, if it is the
 * leader, runs the fleet-wide maintenance.
 */
export class Collector {
  readonly workerId: string;
  private readonly conns: RedisConnections;
  private readonly cursors = new Map<number, Cursor>();
  private readonly cursorTried = new Set<number>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = false;
  private cursorsSavedAt = Date.now();
  private startedAt = new Date();

  constructor(
    private readonly db: Db,
    private readonly opts: CollectorOptions = {},
  ) {
    this.workerId = opts.workerId ?? `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString("hex")}`;
    this.conns = new RedisConnections(2000);
  }

  // what the collector says is a problem (a failed or late tick), so warn
  private readonly defaultLog = (line: string) => log.warn({ part: "collector", worker: this.workerId }, line);

  private log(line: string) {
    (this.opts.log ?? this.defaultLog)(line);
  }

  private async intervalMs(): Promise<number> {
    return this.opts.intervalMs ?? (await loadMonitoringSettings(this.db)).intervalSec * 1000;
  }

  start(): this {
    void this.schedule();
    return this;
  }

  private async schedule() {
    if (this.stopped) return;
    const interval = await this.intervalMs().catch(() => 10_000);
    if (this.stopped) return; // stop() came while the interval setting was read
    const now = Date.now();
    const at = Math.ceil((now + 1) / interval) * interval;
    this.timer = setTimeout(() => {
      this.running = this.tick(new Date(at), interval)
        .catch((e: Error) => this.log(`tick failed: ${e.message}`))
        .finally(() => {
          this.running = null;
          void this.schedule();
        });
    }, at - now);
  }

  /** One tick: heartbeat, poll this worker's share, store, and the leader's maintenance. */
  async tick(at: Date, intervalMs: number): Promise<TickStats> {
    const t0 = performance.now();
    const live = await this.heartbeat(intervalMs);
    const targets = await pollTargets(this.db);
    const ids = live.map((w) => w.id);
    const mine = targets.filter((t) => ownerOf(t.instanceId, ids) === this.workerId);
    this.conns.keepOnly(new Set(mine.filter((t) => t.software === "REDIS").map((t) => `${t.ip}:${t.port}`)));
    const results = await this.pollAndStore(mine, at);
    await followObservedRoles(this.db, results).catch((e: Error) => this.log(`following roles failed: ${e.message}`));
    const polledMs = performance.now() - t0;
    const leader = leaderOf(live) === this.workerId;
    if (leader && this.opts.maintenance) {
      await this.opts.maintenance(this.db, at, intervalMs / 1000, () => this.stopped).catch((e: Error) => this.log(`maintenance failed: ${e.message}`));
    }
    if (Date.now() - this.cursorsSavedAt > CURSOR_SAVE_EVERY_MS) await this.saveCursors(at);
    const ms = performance.now() - t0;
    processMetrics.collectorTick.observe(ms / 1000);
    processMetrics.collectorPolled.set(results.length);
    // a tick longer than the interval skips the next one: say so, so that someone adds a worker
    if (ms > intervalMs)
      this.log(
        `tick of ${results.length} instances took ${Math.round(ms)} ms (polls ${Math.round(polledMs)} ms), longer than the ${intervalMs / 1000} s interval`,
      );
    return { at, polled: results.length, up: results.filter((r) => r.row.up).length, leader, ms };
  }

  /**
   * Polls the targets (their cursors loaded once from the database) and writes what came back.
   * A large share is polled in chunks, each written while the next one is polled, so the database's
   * time overlaps the instances' time.
   */
  async pollAndStore(targets: PollTarget[], at: Date): Promise<PollResult[]> {
    const unknown = targets.map((t) => t.instanceId).filter((id) => !this.cursorTried.has(id));
    if (unknown.length) {
      for (const [id, c] of await loadCursors(this.db, unknown)) if (!this.cursors.has(id)) this.cursors.set(id, c);
      for (const id of unknown) this.cursorTried.add(id);
    }
    const chunk = this.opts.chunk ?? 500;
    const all: PollResult[] = [];
    const writes: Promise<void>[] = [];
    for (let k = 0; k < targets.length; k += chunk) {
      const results = await inPool(targets.slice(k, k + chunk), this.opts.concurrency ?? 256, (t) => {
        const previous = this.cursors.get(t.instanceId);
        return t.software === "REDIS"
          ? pollRedis(this.conns, t, at, previous)
          : t.software === "MEMCACHED"
            ? pollMemcached(t, at, previous, 2000)
            : t.software === "REDIS_SENTINEL"
              ? pollSentinel(t, at, 2000)
              : pollTwemproxy(t, at, previous, 2000);
      });
      for (const r of results) if (r.cursor) this.cursors.set(r.row.instanceId, r.cursor);
      writes.push(this.store(results, at));
      all.push(...results);
    }
    await Promise.all(writes);
    return all;
  }

  private async store(results: PollResult[], at: Date) {
    const rows = results.map((r) => r.row);
    const remote = this.opts.metricsUrl === undefined ? remoteMetricsUrl() : this.opts.metricsUrl;
    const clients = results.filter((r) => r.clients).map((r) => ({ instanceId: r.row.instanceId, serviceId: r.row.serviceId, clients: r.clients! }));
    await Promise.all([
      insertSamples(this.db, rows),
      // PostgreSQL holds the samples the rules and rollups read: a remote store that fails loses the chart's copy only
      remote ? writeRemoteSamples(remote, rows).catch((e: Error) => this.log(`writing samples to the metrics store failed: ${e.message}`)) : null,
      insertSlowlog(
        this.db,
        results.flatMap((r) => r.slowlog),
      ),
      replaceClientSources(this.db, at, clients),
    ]);
  }

  private async heartbeat(intervalMs: number) {
    await this.db.collectorWorker.upsert({
      where: { id: this.workerId },
      create: { id: this.workerId, startedAt: this.startedAt, seenAt: new Date() },
      update: { seenAt: new Date() },
    });
    // a worker is alive while it has ticked within three intervals (at least 15 s: a slow tick is not a death)
    const cutoff = new Date(Date.now() - Math.max(3 * intervalMs, 15_000));
    const live = await this.db.collectorWorker.findMany({ where: { seenAt: { gte: cutoff } }, select: { id: true, startedAt: true } });
    return live;
  }

  private async saveCursors(at: Date) {
    await saveCursors(this.db, this.cursors, at).catch((e: Error) => this.log(`saving cursors failed: ${e.message}`));
    this.cursorsSavedAt = Date.now();
  }

  /** Stops after the tick in progress, saves the cursors and leaves the worker list. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    await this.saveCursors(new Date());
    await this.db.collectorWorker.deleteMany({ where: { id: this.workerId } }).catch(() => {});
    this.conns.closeAll();
  }
}
