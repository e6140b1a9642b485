import { Redis } from "ioredis";
import type { RedisAuth } from "../credentials/model";
import { authOptions } from "../provisioning/deploy/probes";
import { parseInfo } from "./info";
import { parseLatencyHistogramReply } from "./latency-histogram";
import { parseMemcachedStats } from "./memcached-stats";
import {
  downSample,
  memcachedSample,
  redisSample,
  sentinelSample,
  twemproxySample,
  type Cursor,
  type SampleRow,
  type SentinelView,
  type Target,
} from "./sample";
import { errorInWords, tcpRead } from "./tcp-read";
import { parseTwemproxyStats } from "./twemproxy-stats";

export type PollTarget = Target & {
  software: "REDIS" | "MEMCACHED" | "TWEMPROXY" | "REDIS_SENTINEL";
  ip: string;
  port: number;
  statsPort: number | null;
  /** Hedwig's login on a Redis (its service's operations user; on a Sentinel too); null when none is known */
  auth: RedisAuth | null;
};

export interface SlowlogRow {
  instanceId: number;
  serviceId: number;
  slowlogId: number;
  at: Date;
  durationUs: number;
  command: string;
  args: string[];
  clientAddr: string | null;
  clientName: string | null;
}

export interface PollResult {
  row: SampleRow;
  cursor: Cursor | undefined;
  slowlog: SlowlogRow[];
  /** client IP → connections (Redis), null when not read */
  clients: Map<string, number> | null;
}

/** The collector's connection name: left out of CLIENT LIST figures. */
export const COLLECTOR_NAME = "hedwig-collector";
const SLOWLOG_MAX = 128;

/**
 * One Redis connection per instance, kept between polls. No automatic reconnect and no offline
 * queue: a poll against a dead instance fails at once and says why; the next poll connects anew.
 */
export class RedisConnections {
  private readonly clients = new Map<string, Redis>();
  /** instances that refused INFO with several sections (Redis < 7): they get INFO all */
  readonly legacyInfo = new Set<string>();
  constructor(private readonly timeoutMs: number) {}

  async get(ip: string, port: number, auth: RedisAuth | null): Promise<Redis> {
    const key = `${ip}:${port}`;
    let c = this.clients.get(key);
    if (c && (c.status === "end" || c.status === "close")) {
      this.clients.delete(key);
      c = undefined;
    }
    if (!c) {
      c = new Redis({
        host: ip,
        port,
        ...authOptions(auth),
        lazyConnect: true,
        connectTimeout: this.timeoutMs,
        commandTimeout: this.timeoutMs,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
        enableOfflineQueue: false,
        enableReadyCheck: false,
        connectionName: COLLECTOR_NAME,
      });
      this.clients.set(key, c);
    }
    if (c.status === "wait") {
      // connect() rejects with "Connection is closed."; the cause (refused, timed out) comes as an error event
      let cause: Error | null = null;
      c.on("error", (e: Error) => (cause = e));
      await c.connect().catch((e: Error) => {
        throw cause ?? e;
      });
    }
    return c;
  }

  drop(ip: string, port: number) {
    const key = `${ip}:${port}`;
    this.clients.get(key)?.disconnect();
    this.clients.delete(key);
  }

  /** Instances no longer polled by this worker. */
  keepOnly(keys: Set<string>) {
    for (const [k, c] of this.clients) {
      if (keys.has(k)) continue;
      c.disconnect();
      this.clients.delete(k);
    }
  }

  closeAll() {
    for (const c of this.clients.values()) c.disconnect();
    this.clients.clear();
  }
}

type SlowlogEntryReply = [number, number, number, string[], string?, string?];

// The sections the rules and charts read (Redis 7 takes several at once); an older Redis gets "all".
export const INFO_SECTIONS = ["server", "clients", "memory", "stats", "replication", "keyspace", "commandstats", "latencystats", "errorstats"];
// CLIENT LIST walks every connection on Redis's one thread: request sources need it once a minute, not every poll
const CLIENT_LIST_EVERY_MS = 60_000;

async function redisPipeline(conns: RedisConnections, t: PollTarget, withClients: boolean) {
  const c = await conns.get(t.ip, t.port, t.auth);
  const p = c.pipeline();
  if (conns.legacyInfo.has(`${t.ip}:${t.port}`)) p.info("all");
  else p.call("info", ...INFO_SECTIONS);
  p.call("latency", "histogram").call("slowlog", "get", SLOWLOG_MAX);
  if (withClients) p.call("client", "list");
  const results = await p.exec();
  if (results?.[0]?.[0] && /syntax|wrong number/i.test(results[0][0].message) && !conns.legacyInfo.has(`${t.ip}:${t.port}`)) {
    conns.legacyInfo.add(`${t.ip}:${t.port}`);
    return redisPipeline(conns, t, withClients);
  }
  return results;
}

export async function pollRedis(conns: RedisConnections, t: PollTarget, at: Date, previous: Cursor | undefined): Promise<PollResult> {
  const withClients = !previous?.clientsAt || at.getTime() - previous.clientsAt >= CLIENT_LIST_EVERY_MS;
  let results: [Error | null, unknown][] | null;
  try {
    results = await redisPipeline(conns, t, withClients).catch(async (e: Error) => {
      // a kept connection that died only says "Connection is closed": one fresh attempt tells why
      if (!/Connection is closed/.test(e.message)) throw e;
      conns.drop(t.ip, t.port);
      return redisPipeline(conns, t, withClients);
    });
  } catch (e) {
    conns.drop(t.ip, t.port);
    return { row: downSample(t, at, errorInWords(e)), cursor: previous, slowlog: [], clients: null };
  }
  const [info, histogram, slowlog, clientList] = results ?? [];
  if (!info || info[0]) {
    conns.drop(t.ip, t.port);
    return { row: downSample(t, at, errorInWords(info?.[0] ?? new Error("no answer to INFO"))), cursor: previous, slowlog: [], clients: null };
  }
  const parsed = parseInfo(String(info[1]));
  // Redis < 7 has no LATENCY HISTOGRAM: it answers with an error, and latencystats (or nothing) stands in
  const histograms = histogram && !histogram[0] ? parseLatencyHistogramReply(histogram[1]) : null;
  // the commands this collector sent after the previous INFO are in this INFO's counters
  const { row, cursor } = redisSample(t, at, previous, parsed, histograms, previous?.ownAfterInfo ?? 0);
  cursor.ownAfterInfo = withClients ? 3 : 2;
  const clients = withClients && clientList && !clientList[0] ? clientsByIp(String(clientList[1])) : null;
  if (clients) cursor.clientsAt = at.getTime();
  const newEntries =
    slowlog && !slowlog[0] ? ((slowlog[1] as SlowlogEntryReply[]) ?? []).filter((e) => cursor.slowlogId === undefined || Number(e[0]) > cursor.slowlogId) : [];
  if (newEntries.length) cursor.slowlogId = Math.max(...newEntries.map((e) => Number(e[0])));
  else if (cursor.slowlogId === undefined && slowlog && !slowlog[0]) cursor.slowlogId = -1;
  return {
    row,
    cursor,
    slowlog: newEntries.map((e) => ({
      instanceId: t.instanceId,
      serviceId: t.serviceId,
      slowlogId: Number(e[0]),
      at: new Date(Number(e[1]) * 1000),
      durationUs: Number(e[2]),
      command: String(e[3]?.[0] ?? "").toLowerCase(),
      args: (e[3] ?? []).slice(1).map(String),
      clientAddr: e[4] ? String(e[4]) : null,
      clientName: e[5] ? String(e[5]) : null,
    })),
    clients,
  };
}

/** CLIENT LIST → connections per client IP, without the collector's own connection. */
export function clientsByIp(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    const addr = / addr=(\S+)/.exec(` ${line}`)?.[1];
    const name = / name=(\S*)/.exec(` ${line}`)?.[1];
    if (!addr || name === COLLECTOR_NAME) continue;
    const ip = addr.slice(0, addr.lastIndexOf(":"));
    out.set(ip, (out.get(ip) ?? 0) + 1);
  }
  return out;
}

export async function pollMemcached(t: PollTarget, at: Date, previous: Cursor | undefined, timeoutMs: number): Promise<PollResult> {
  try {
    const text = await tcpRead(t.ip, t.port, timeoutMs, "stats\r\n", (s) => s.endsWith("END\r\n") || s.startsWith("ERROR"));
    const { row, cursor } = memcachedSample(t, at, previous, parseMemcachedStats(text));
    return { row, cursor, slowlog: [], clients: null };
  } catch (e) {
    return { row: downSample(t, at, errorInWords(e)), cursor: previous, slowlog: [], clients: null };
  }
}

/**
 * Twemproxy answers on its stats port (provisioning starts it with -s listen port + 1000). Its
 * client port is not probed separately: the stats port is the same process.
 */
export async function pollTwemproxy(t: PollTarget, at: Date, previous: Cursor | undefined, timeoutMs: number): Promise<PollResult> {
  if (!t.statsPort) return { row: downSample(t, at, "no stats port known"), cursor: previous, slowlog: [], clients: null };
  try {
    const text = await tcpRead(t.ip, t.statsPort, timeoutMs, null, () => false);
    const { row, cursor } = twemproxySample(t, at, previous, parseTwemproxyStats(text));
    return { row, cursor, slowlog: [], clients: null };
  } catch (e) {
    return { row: downSample(t, at, `stats port ${t.statsPort}: ${errorInWords(e)}`), cursor: previous, slowlog: [], clients: null };
  }
}

/** SENTINEL MASTERS' flat [field, value, …] list of one master → a record. */
function fields(flat: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const a = Array.isArray(flat) ? flat.map(String) : [];
  for (let k = 0; k + 1 < a.length; k += 2) out[a[k]!] = a[k + 1]!;
  return out;
}

/**
 * A Sentinel: PING, then SENTINEL MASTERS (each master it watches, where it sees it, its flags)
 * and SENTINEL CKQUORUM per master (whether enough Sentinels are reachable to authorize a
 * failover). A short connection per poll: a Sentinel is polled for its answer, not its counters.
 */
export async function pollSentinel(t: PollTarget, at: Date, timeoutMs: number): Promise<PollResult> {
  const c = new Redis({
    host: t.ip,
    port: t.port,
    ...authOptions(t.auth),
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
    enableReadyCheck: false,
  });
  let cause: Error | null = null;
  c.on("error", (e: Error) => (cause = e));
  try {
    await c.connect().catch((e: Error) => {
      throw cause ?? e;
    });
    const [ping, masters] = (await c.pipeline().ping().call("sentinel", "masters").exec()) ?? [];
    if (!ping || ping[0] || ping[1] !== "PONG") throw ping?.[0] ?? new Error("no answer to PING");
    if (!masters || masters[0]) throw masters?.[0] ?? new Error("no answer to SENTINEL MASTERS");
    const views: SentinelView[] = [];
    for (const m of (masters[1] as unknown[]) ?? []) {
      const f = fields(m);
      const ck = await c.call("sentinel", "ckquorum", f.name!).then(
        () => null,
        (e: Error) => e.message,
      );
      views.push({
        name: f.name ?? "",
        ip: f.ip ?? "",
        port: Number(f.port),
        flags: f.flags ?? "",
        quorum: Number(f.quorum),
        otherSentinels: Number(f["num-other-sentinels"]),
        quorumOk: ck === null,
        quorumError: ck,
      });
    }
    return { row: sentinelSample(t, at, views), cursor: undefined, slowlog: [], clients: null };
  } catch (e) {
    return { row: downSample(t, at, errorInWords(e)), cursor: undefined, slowlog: [], clients: null };
  } finally {
    c.disconnect();
  }
}
