import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseInfo } from "./info";
import { counterDeltas, rate } from "./rates";
import { memcachedSample, redisSample, twemproxySample } from "./sample";
import type { TwemproxyStats } from "./twemproxy-stats";

const t = { instanceId: 1, serviceId: 2 };
const at = (s: number) => new Date(1_800_000_000_000 + s * 1000);

const info = (o: { runId?: string; ops: number; hits: number; misses: number; evicted?: number; set: number; get: number; role?: string; link?: string }) =>
  parseInfo(
    [
      `run_id:${o.runId ?? "a"}`,
      `total_commands_processed:${o.ops}`,
      `keyspace_hits:${o.hits}`,
      `keyspace_misses:${o.misses}`,
      `evicted_keys:${o.evicted ?? 0}`,
      "rejected_connections:0",
      "expired_keys:0",
      "total_net_input_bytes:1000",
      "total_net_output_bytes:2000",
      "used_memory:104857600",
      "maxmemory:209715200",
      "connected_clients:5",
      `role:${o.role ?? "master"}`,
      ...(o.link ? [`master_link_status:${o.link}`, "master_last_io_seconds_ago:-1", "master_link_down_since_seconds:12"] : []),
      `cmdstat_set:calls=${o.set},usec=${o.set * 2}`,
      `cmdstat_get:calls=${o.get},usec=${o.get}`,
      "db0:keys=42,expires=0,avg_ttl=0",
    ].join("\n"),
  );

describe("counter deltas", () => {
  it("no baseline, another process, or a counter that went back: no rate", () => {
    const r = (epoch: string, s: number, v: number) => ({ at: at(s).getTime(), epoch, counters: { c: v } });
    expect(counterDeltas(undefined, r("a", 10, 5))).toBeNull();
    expect(counterDeltas(r("a", 0, 5), r("b", 10, 50))).toBeNull();
    expect(counterDeltas(r("a", 0, 50), r("a", 10, 5))).toBeNull();
    expect(rate(counterDeltas(r("a", 0, 5), r("a", 10, 105)), "c")).toBe(10);
  });

  it("a rate is never negative, whatever the counters do (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.nat(1_000_000)), { minLength: 2, maxLength: 30 }), (steps) => {
        let previous: ReturnType<typeof redisSample>["cursor"] | undefined;
        let run = 0;
        steps.forEach(([restart, ops], k) => {
          if (restart) run++;
          const s = redisSample(t, at(k * 10), previous, info({ runId: String(run), ops, hits: ops, misses: 0, set: ops, get: 0 }), null, 0);
          for (const v of [s.row.opsPerSec, s.row.hitsPerSec, s.row.writesPerSec]) expect(v === null || v >= 0).toBe(true);
          previous = s.cursor;
        });
      }),
    );
  });
});

describe("Redis sample", () => {
  it("first poll has figures but no rates; the next has rates without the collector's own commands", () => {
    const first = redisSample(t, at(0), undefined, info({ ops: 100, hits: 10, misses: 0, set: 50, get: 40 }), null, 4);
    expect(first.row.opsPerSec).toBeNull();
    expect(first.row.usedMemoryMb).toBe(100);
    expect(first.row.maxmemoryMb).toBe(200);
    expect(first.row.clients).toBe(4);
    expect(first.row.keys).toBe(42);
    const next = redisSample(t, at(10), first.cursor, info({ ops: 1104, hits: 810, misses: 200, set: 550, get: 540 }), null, 4);
    expect(next.row.opsPerSec).toBe(100);
    expect(next.row.hitsPerSec).toBe(80);
    expect(next.row.missesPerSec).toBe(20);
    expect(next.row.writesPerSec).toBe(50);
    expect(next.row.readsPerSec).toBe(50);
    expect(next.row.commands).toEqual({ set: { calls: 500, usec: 1000 }, get: { calls: 500, usec: 500 } });
  });

  it("a restart (new run_id) gives no rate, then rates again from the new baseline", () => {
    const a = redisSample(t, at(0), undefined, info({ ops: 1_000_000, hits: 5, misses: 0, set: 9, get: 9 }), null, 0);
    const b = redisSample(t, at(10), a.cursor, info({ runId: "b", ops: 10, hits: 0, misses: 0, set: 0, get: 0 }), null, 0);
    expect(b.row.opsPerSec).toBeNull();
    expect(b.row.extra?.reset).toMatch(/restarted/);
    const c = redisSample(t, at(20), b.cursor, info({ runId: "b", ops: 110, hits: 0, misses: 0, set: 0, get: 0 }), null, 0);
    expect(c.row.opsPerSec).toBe(10);
  });

  it("a replica reports its link", () => {
    const s = redisSample(t, at(0), undefined, info({ ops: 1, hits: 0, misses: 0, set: 0, get: 0, role: "slave", link: "down" }), null, 0);
    expect(s.row.replLinkUp).toBe(false);
    expect(s.row.replLagSec).toBeNull();
    expect(s.row.extra?.masterLinkDownSec).toBe(12);
  });

  it("percentiles come from the interval's histogram without the collector's own INFO calls", () => {
    const h1 = { get: { 1: 0, 2: 0 }, info: { 256: 1 } };
    const h2 = { get: { 1: 98, 2: 99, 1024: 100 }, info: { 256: 5 } };
    const a = redisSample(t, at(0), undefined, info({ ops: 0, hits: 0, misses: 0, set: 0, get: 0 }), h1, 0);
    const b = redisSample(t, at(10), a.cursor, info({ ops: 100, hits: 0, misses: 0, set: 0, get: 100 }), h2, 0);
    expect(b.row.latencyHistogram).toEqual({ 1: 98, 2: 1, 1024: 1 });
    expect(b.row.latencyP50Us).toBe(1);
    expect(b.row.latencyP99Us).toBe(2);
    expect(b.row.latencyP999Us).toBe(1024);
  });
});

describe("Memcached sample", () => {
  const stats = (o: { pid?: number; get: number; set: number; hits: number; time: number; uptime: number }) => ({
    pid: o.pid ?? 7,
    time: o.time,
    uptime: o.uptime,
    cmd_get: o.get,
    cmd_set: o.set,
    get_hits: o.hits,
    get_misses: o.get - o.hits,
    bytes: 1048576,
    limit_maxbytes: 67108864,
    curr_connections: 3,
    curr_items: 9,
  });
  it("rates over the interval, the same run despite a second of clock rounding, a restart skipped", () => {
    const a = memcachedSample(t, at(0), undefined, stats({ get: 100, set: 10, hits: 90, time: 1000, uptime: 100 }));
    const b = memcachedSample(t, at(10), a.cursor, stats({ get: 200, set: 110, hits: 180, time: 1011, uptime: 110 }));
    expect(b.row.readsPerSec).toBe(10);
    expect(b.row.writesPerSec).toBe(10);
    expect(b.row.opsPerSec).toBe(20);
    expect(b.row.hitsPerSec).toBe(9);
    expect(b.row.clients).toBe(2);
    expect(b.row.maxmemoryMb).toBe(64);
    const c = memcachedSample(t, at(20), b.cursor, stats({ pid: 8, get: 1, set: 1, hits: 1, time: 1021, uptime: 1 }));
    expect(c.row.opsPerSec).toBeNull();
  });
});

describe("Twemproxy sample", () => {
  const stats = (requests: number, ejects: number, ejectedAt: number, timedOut: number, timestamp = 1100): TwemproxyStats => ({
    uptime: 100 + (timestamp - 1100),
    timestamp,
    version: "0.5.0",
    pools: [
      {
        name: "p",
        clientConnections: 3,
        serverEjects: ejects,
        forwardErrors: 0,
        servers: [
          { name: "shard0", requests, requestBytes: 0, responseBytes: 0, timedOut, errors: 0, connections: 1, ejectedAt },
          { name: "shard1", requests: 0, requestBytes: 0, responseBytes: 0, timedOut: 0, errors: 0, connections: 1, ejectedAt: 0 },
        ],
      },
    ],
  });
  it("counts ejections and timeouts of the interval and names the servers", () => {
    const a = twemproxySample(t, at(0), undefined, stats(0, 0, 0, 0));
    const b = twemproxySample(t, at(10), a.cursor, stats(100, 1, 555, 2, 1110));
    expect(b.row.opsPerSec).toBe(10);
    expect(b.row.proxyEjected).toBe(1);
    expect(b.row.proxyTimeouts).toBe(2);
    expect(b.row.extra).toMatchObject({ ejected: ["shard0"], timedOut: ["shard0"] });
    expect(b.row.clients).toBe(3);
    const c = twemproxySample(t, at(20), b.cursor, stats(100, 1, 555, 2, 1120));
    expect(c.row.proxyEjected).toBe(0);
    expect(c.row.extra?.ejected).toBeUndefined();
    // a snapshot Twemproxy has not refreshed yet: no rate rather than a zero
    const same = twemproxySample(t, at(30), c.cursor, stats(100, 1, 555, 2, 1120));
    expect(same.row.opsPerSec).toBeNull();
  });
});
