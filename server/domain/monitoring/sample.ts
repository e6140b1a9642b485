import { readsAndWrites, type CommandDeltas } from "./command-kinds";
import { infoNumber, type RedisInfo } from "./info";
import { histogramPercentile, intervalHistogram, type CumulativeHistograms, type Histogram } from "./latency-histogram";
import { counterDeltas, rate, type CounterReading, type Deltas } from "./rates";
import type { TwemproxyStats } from "./twemproxy-stats";

/** One MetricSample row as the collector writes it (see the schema's column comments). */
export interface SampleRow {
  instanceId: number;
  serviceId: number;
  at: Date;
  up: boolean;
  opsPerSec: number | null;
  readsPerSec: number | null;
  writesPerSec: number | null;
  hitsPerSec: number | null;
  missesPerSec: number | null;
  evictionsPerSec: number | null;
  rejectedPerSec: number | null;
  expiredPerSec: number | null;
  netInKbps: number | null;
  netOutKbps: number | null;
  usedMemoryMb: number | null;
  maxmemoryMb: number | null;
  clients: number | null;
  blockedClients: number | null;
  keys: number | null;
  latencyP50Us: number | null;
  latencyP99Us: number | null;
  latencyP999Us: number | null;
  replLinkUp: boolean | null;
  replLagSec: number | null;
  proxyEjected: number | null;
  proxyTimeouts: number | null;
  commands: CommandDeltas | null;
  latencyHistogram: Histogram | null;
  extra: Record<string, unknown> | null;
}

/** What the collector remembers of an instance between polls. */
export interface Cursor {
  reading: CounterReading;
  commands?: CommandDeltas;
  histograms?: CumulativeHistograms;
  /** Twemproxy: "pool/server" → last ejection time seen */
  ejectedAt?: Record<string, number>;
  /** Redis: the newest SLOWLOG id already stored */
  slowlogId?: number;
  /** Redis: when CLIENT LIST was last read (ms) */
  clientsAt?: number;
  /** Redis: commands the collector sent after INFO in the last poll (left out of the next rates) */
  ownAfterInfo?: number;
}

export type Target = { instanceId: number; serviceId: number };

const MB = 1024 * 1024;
const kbps = (bytesPerSec: number | null) => (bytesPerSec === null ? null : (bytesPerSec * 8) / 1000);

/** The rates Redis and Memcached both count: hits and misses, evictions, rejections, expiries, network. */
const cacheRates = (d: Deltas | null) => ({
  hitsPerSec: rate(d, "hits"),
  missesPerSec: rate(d, "misses"),
  evictionsPerSec: rate(d, "evictions"),
  rejectedPerSec: rate(d, "rejected"),
  expiredPerSec: rate(d, "expired"),
  netInKbps: kbps(rate(d, "netIn")),
  netOutKbps: kbps(rate(d, "netOut")),
});

const EMPTY: Omit<SampleRow, "instanceId" | "serviceId" | "at" | "up"> = {
  opsPerSec: null,
  readsPerSec: null,
  writesPerSec: null,
  hitsPerSec: null,
  missesPerSec: null,
  evictionsPerSec: null,
  rejectedPerSec: null,
  expiredPerSec: null,
  netInKbps: null,
  netOutKbps: null,
  usedMemoryMb: null,
  maxmemoryMb: null,
  clients: null,
  blockedClients: null,
  keys: null,
  latencyP50Us: null,
  latencyP99Us: null,
  latencyP999Us: null,
  replLinkUp: null,
  replLagSec: null,
  proxyEjected: null,
  proxyTimeouts: null,
  commands: null,
  latencyHistogram: null,
  extra: null,
};

/** What a Sentinel said of one master it watches (SENTINEL MASTERS, SENTINEL CKQUORUM). */
export interface SentinelView {
  name: string;
  ip: string;
  port: number;
  /** Sentinel's flags for the master: "master", or with s_down / o_down / failover_in_progress */
  flags: string;
  quorum: number;
  otherSentinels: number;
  /** CKQUORUM: enough Sentinels reachable to authorize a failover */
  quorumOk: boolean;
  /** CKQUORUM's complaint when not */
  quorumError: string | null;
}

/** A Sentinel answered: it holds no data, so its sample is up and what it watches (in extra). */
export function sentinelSample(t: Target, at: Date, masters: SentinelView[]): SampleRow {
  return { ...t, at, up: true, ...EMPTY, extra: { sentinel: masters } };
}

/** A poll that got no answer. The cursor is kept: if the same process answers later, its counters still count. */
export function downSample(t: Target, at: Date, error: string): SampleRow {
  return { ...t, at, up: false, ...EMPTY, extra: { error } };
}

/** Per-command calls and µs since the previous poll, without commands that were not called. */
function commandDeltas(previous: CommandDeltas | undefined, current: CommandDeltas, d: Deltas | null): CommandDeltas | null {
  if (!d || !previous) return null;
  const out: CommandDeltas = {};
  for (const [name, c] of Object.entries(current)) {
    const before = previous[name] ?? { calls: 0, usec: 0 };
    if (c.calls < before.calls) return null;
    if (c.calls > before.calls) out[name] = { calls: c.calls - before.calls, usec: Math.max(0, c.usec - before.usec) };
  }
  return out;
}

/** What the collector itself sends: not the service's traffic. */
const OWN_COMMANDS: ReadonlySet<string> = new Set([
  "info",
  "slowlog",
  "slowlog|get",
  "client|list",
  "latency|histogram",
  "client|setname",
  "hello",
  "client",
  "latency",
]);

/**
 * A Redis poll: INFO everything (and LATENCY HISTOGRAM on Redis 7; null when the server has none).
 * ownCommands: how many commands the collector itself sends per poll, left out of the rates.
 */
export function redisSample(
  t: Target,
  at: Date,
  previous: Cursor | undefined,
  info: RedisInfo,
  histograms: CumulativeHistograms | null,
  ownCommands: number,
): { row: SampleRow; cursor: Cursor } {
  const f = (name: string) => infoNumber(info, name);
  const reading: CounterReading = {
    at: at.getTime(),
    epoch: info.fields.run_id ?? "",
    counters: {
      ops: f("total_commands_processed") ?? 0,
      hits: f("keyspace_hits") ?? 0,
      misses: f("keyspace_misses") ?? 0,
      evictions: f("evicted_keys") ?? 0,
      rejected: f("rejected_connections") ?? 0,
      expired: f("expired_keys") ?? 0,
      netIn: f("total_net_input_bytes") ?? 0,
      netOut: f("total_net_output_bytes") ?? 0,
    },
  };
  const d = counterDeltas(previous?.reading, reading);
  const commands = commandDeltas(previous?.commands, info.commands, d);
  const businessCommands = commands ? Object.fromEntries(Object.entries(commands).filter(([c]) => !OWN_COMMANDS.has(c))) : null;
  const rw = businessCommands ? readsAndWrites(businessCommands) : null;
  const hist = histograms && d && previous?.histograms ? intervalHistogram(previous.histograms, histograms, OWN_COMMANDS) : null;
  const role = info.fields.role;
  const isReplica = role === "slave";
  const lag = isReplica ? f("master_last_io_seconds_ago") : undefined;
  const maxmemory = f("maxmemory") ?? 0;
  const row: SampleRow = {
    ...t,
    at,
    up: true,
    ...EMPTY,
    opsPerSec: rate(d, "ops", ownCommands),
    readsPerSec: rw && d ? rw.reads / d.seconds : null,
    writesPerSec: rw && d ? rw.writes / d.seconds : null,
    ...cacheRates(d),
    usedMemoryMb: (f("used_memory") ?? 0) / MB,
    maxmemoryMb: maxmemory > 0 ? maxmemory / MB : null,
    clients: Math.max(0, (f("connected_clients") ?? 1) - 1),
    blockedClients: f("blocked_clients") ?? null,
    keys: info.keys,
    latencyP50Us: hist ? histogramPercentile(hist, 0.5) : null,
    latencyP99Us: hist ? histogramPercentile(hist, 0.99) : latencystatsP99(info, businessCommands),
    latencyP999Us: hist ? histogramPercentile(hist, 0.999) : null,
    replLinkUp: isReplica ? info.fields.master_link_status === "up" : null,
    replLagSec: lag === undefined || lag < 0 ? null : lag,
    commands: businessCommands,
    latencyHistogram: hist,
    extra: {
      role,
      version: info.fields.redis_version,
      // the health rules compare a replica's offset with its master's: equal offsets are never late
      replOffset: f(isReplica ? "slave_repl_offset" : "master_repl_offset") ?? null,
      ...(isReplica
        ? { masterHost: info.fields.master_host, masterPort: f("master_port"), masterLinkDownSec: f("master_link_down_since_seconds") ?? null }
        : { connectedReplicas: f("connected_slaves") ?? 0 }),
      ...(Object.keys(info.errors).length ? { errors: info.errors } : {}),
      ...(d ? {} : { reset: previous ? "counters restarted: no rate this interval" : "first poll: rates from the next one" }),
    },
  };
  const sameRun = previous?.reading.epoch === reading.epoch;
  return {
    row,
    cursor: {
      reading,
      commands: info.commands,
      histograms: histograms ?? undefined,
      slowlogId: sameRun ? previous.slowlogId : undefined,
      clientsAt: sameRun ? previous.clientsAt : undefined,
      ownAfterInfo: previous?.ownAfterInfo,
    },
  };
}

/**
 * Without LATENCY HISTOGRAM (Redis < 7) the best figure left is latencystats' p99 since start, of
 * the busiest commands of the interval: the worst of them.
 */
function latencystatsP99(info: RedisInfo, commands: CommandDeltas | null): number | null {
  if (!commands) return null;
  let worst: number | null = null;
  for (const name of Object.keys(commands)) {
    const p = info.latencyPercentiles[name]?.p99;
    if (p !== undefined && (worst === null || p > worst)) worst = p;
  }
  return worst;
}

/** A Memcached poll: `stats`. The collector's own connection is not a client. */
export function memcachedSample(t: Target, at: Date, previous: Cursor | undefined, s: Record<string, number>): { row: SampleRow; cursor: Cursor } {
  const g = (k: string) => s[k] ?? 0;
  const reads = g("cmd_get") + g("cmd_touch");
  const writes =
    g("cmd_set") +
    g("delete_hits") +
    g("delete_misses") +
    g("incr_hits") +
    g("incr_misses") +
    g("decr_hits") +
    g("decr_misses") +
    g("cas_hits") +
    g("cas_misses") +
    g("cas_badval");
  const reading: CounterReading = {
    at: at.getTime(),
    epoch: `${g("pid")}@${g("time") - g("uptime")}`,
    counters: {
      reads,
      writes,
      hits: g("get_hits"),
      misses: g("get_misses"),
      evictions: g("evictions"),
      rejected: g("rejected_connections"),
      expired: g("expired_unfetched"),
      netIn: g("bytes_read"),
      netOut: g("bytes_written"),
    },
  };
  // the start time is derived from two rounded clocks: allow one second of jitter
  const prevEpoch = previous?.reading.epoch;
  if (prevEpoch && prevEpoch !== reading.epoch && sameMemcachedRun(prevEpoch, reading.epoch)) reading.epoch = prevEpoch;
  const d = counterDeltas(previous?.reading, reading);
  const r = rate(d, "reads");
  const w = rate(d, "writes");
  const row: SampleRow = {
    ...t,
    at,
    up: true,
    ...EMPTY,
    opsPerSec: r === null || w === null ? null : r + w,
    readsPerSec: r,
    writesPerSec: w,
    ...cacheRates(d),
    usedMemoryMb: g("bytes") / MB,
    maxmemoryMb: g("limit_maxbytes") > 0 ? g("limit_maxbytes") / MB : null,
    clients: Math.max(0, g("curr_connections") - 1),
    keys: g("curr_items"),
    extra: {
      version: s.version,
      pid: g("pid"),
      ...(d ? {} : { reset: previous ? "counters restarted: no rate this interval" : "first poll: rates from the next one" }),
    },
  };
  return { row, cursor: { reading } };
}

function sameMemcachedRun(a: string, b: string): boolean {
  const [pa, ta] = a.split("@");
  const [pb, tb] = b.split("@");
  return pa === pb && Math.abs(Number(ta) - Number(tb)) <= 1;
}

/**
 * A Twemproxy poll: its stats JSON. ops = requests forwarded to servers; proxyEjected = ejections
 * during the interval (the servers named in extra.ejected); proxyTimeouts = server timeouts.
 */
export function twemproxySample(t: Target, at: Date, previous: Cursor | undefined, s: TwemproxyStats): { row: SampleRow; cursor: Cursor } {
  const counters: Record<string, number> = { requests: 0, inBytes: 0, outBytes: 0, timeouts: 0, ejects: 0, forwardErrors: 0 };
  let clients = 0;
  const ejectedAt: Record<string, number> = {};
  const ejected: string[] = [];
  const before = previous?.ejectedAt ?? {};
  for (const p of s.pools) {
    clients += p.clientConnections;
    counters.ejects! += p.serverEjects;
    counters.forwardErrors! += p.forwardErrors;
    for (const srv of p.servers) {
      counters.requests! += srv.requests;
      counters.inBytes! += srv.requestBytes;
      counters.outBytes! += srv.responseBytes;
      counters.timeouts! += srv.timedOut;
      const key = `${p.name}/${srv.name}`;
      counters[`timeouts:${srv.name}`] = (counters[`timeouts:${srv.name}`] ?? 0) + srv.timedOut;
      ejectedAt[key] = srv.ejectedAt;
      if (srv.ejectedAt > 0 && srv.ejectedAt !== (before[key] ?? 0)) ejected.push(srv.name);
    }
  }
  // the start time is derived from two rounded clocks: allow one second of jitter
  let epoch = String(s.timestamp - s.uptime);
  const prevEpoch = previous?.reading.epoch;
  if (prevEpoch && Math.abs(Number(prevEpoch) - Number(epoch)) <= 1) epoch = prevEpoch;
  // Twemproxy recomputes its stats every -i ms (Hedwig starts it with 1 s, the default is 30 s): the
  // snapshot's own time is the counters' time; an unchanged snapshot gives no rate, not a zero one
  const reading: CounterReading = { at: s.timestamp > 0 ? s.timestamp * 1000 : at.getTime(), epoch, counters };
  const d = counterDeltas(previous?.reading, reading);
  const timedOut = d
    ? Object.entries(d.deltas)
        .filter(([k, v]) => k.startsWith("timeouts:") && v > 0)
        .map(([k]) => k.slice(9))
    : [];
  const row: SampleRow = {
    ...t,
    at,
    up: true,
    ...EMPTY,
    opsPerSec: rate(d, "requests"),
    netInKbps: kbps(rate(d, "inBytes")),
    netOutKbps: kbps(rate(d, "outBytes")),
    clients,
    proxyEjected: d ? d.deltas.ejects! : null,
    proxyTimeouts: d ? d.deltas.timeouts! : null,
    extra: {
      version: s.version,
      ...(d && ejected.length ? { ejected } : {}),
      ...(timedOut.length ? { timedOut } : {}),
      forwardErrors: d ? d.deltas.forwardErrors! : null,
      ...(d
        ? {}
        : {
            reset: !previous
              ? "first poll: rates from the next one"
              : previous.reading.at === reading.at
                ? "Twemproxy has not refreshed its stats since the last poll"
                : "counters restarted: no rate this interval",
          }),
    },
  };
  return { row, cursor: { reading, ejectedAt } };
}
