import { describe, expect, it } from "vitest";
import { infoNumber, parseInfo } from "./info";
import { histogramPercentile, intervalHistogram, mergeHistograms, parseLatencyHistogramReply } from "./latency-histogram";
import { parseMemcachedStats } from "./memcached-stats";
import { parseTwemproxyStats } from "./twemproxy-stats";

const INFO = [
  "# Server",
  "redis_version:7.0.15",
  "run_id:23ece07d01ee1174567c5f51f5fd9e426cb53a8c",
  "",
  "# Stats",
  "total_commands_processed:2",
  "keyspace_hits:1",
  "# Replication",
  "role:slave",
  "master_link_status:down",
  "# Commandstats",
  "cmdstat_set:calls=1,usec=10,usec_per_call=10.00,rejected_calls=0,failed_calls=0",
  "cmdstat_client|list:calls=3,usec=30,usec_per_call=10.00,rejected_calls=0,failed_calls=0",
  "# Errorstats",
  "errorstat_ERR:count=4",
  "# Latencystats",
  "latency_percentiles_usec_set:p50=10.047,p99=12.1,p99.9=20.5",
  "# Keyspace",
  "db0:keys=10,expires=0,avg_ttl=0",
  "db3:keys=5,expires=1,avg_ttl=0",
].join("\r\n");

describe("Redis INFO", () => {
  it("reads fields, commandstats, latencystats, errorstats and keyspace", () => {
    const i = parseInfo(INFO);
    expect(i.fields.run_id).toBe("23ece07d01ee1174567c5f51f5fd9e426cb53a8c");
    expect(infoNumber(i, "total_commands_processed")).toBe(2);
    expect(infoNumber(i, "nothing")).toBeUndefined();
    expect(i.fields.master_link_status).toBe("down");
    expect(i.commands).toEqual({ set: { calls: 1, usec: 10 }, "client|list": { calls: 3, usec: 30 } });
    expect(i.latencyPercentiles.set).toEqual({ p50: 10.047, p99: 12.1, p999: 20.5 });
    expect(i.errors).toEqual({ ERR: 4 });
    expect(i.keys).toBe(15);
  });
});

describe("LATENCY HISTOGRAM", () => {
  const reply = (getCum: number[], setCum: number[]) => [
    "get",
    ["calls", getCum.at(-1), "histogram_usec", [1, getCum[0], 2, getCum[1], 4, getCum[2]]],
    "set",
    ["calls", setCum.at(-1), "histogram_usec", [8, setCum[0], 16, setCum[1]]],
  ];

  it("parses the cumulative reply and an older Redis's error into nothing", () => {
    expect(parseLatencyHistogramReply(reply([1, 3, 4], [2, 2]))).toEqual({ get: { 1: 1, 2: 3, 4: 4 }, set: { 8: 2, 16: 2 } });
    expect(parseLatencyHistogramReply(new Error("ERR unknown subcommand"))).toEqual({});
  });

  it("takes the interval's calls per bucket over every command", () => {
    const before = parseLatencyHistogramReply(reply([1, 3, 4], [2, 2]));
    const after = parseLatencyHistogramReply(reply([2, 5, 10], [2, 5]));
    // get: buckets were 1,2,1 → now 2,3,5 : +1,+1,+4 ; set: 2,0 → 2,3 : +0,+3
    expect(intervalHistogram(before, after)).toEqual({ 1: 1, 2: 1, 4: 4, 16: 3 });
  });

  it("a command whose counts went down counts from zero (restart)", () => {
    const before = parseLatencyHistogramReply(reply([10, 30, 40], [2, 2]));
    const after = parseLatencyHistogramReply(reply([1, 1, 1], [2, 2]));
    expect(intervalHistogram(before, after)).toEqual({ 1: 1 });
  });

  it("percentiles are bucket bounds", () => {
    const h = { 1: 50, 2: 40, 1024: 10 };
    expect(histogramPercentile(h, 0.5)).toBe(1);
    expect(histogramPercentile(h, 0.9)).toBe(2);
    expect(histogramPercentile(h, 0.99)).toBe(1024);
    expect(histogramPercentile({}, 0.99)).toBeNull();
    expect(mergeHistograms([{ 1: 1 }, null, { 1: 2, 4: 1 }])).toEqual({ 1: 3, 4: 1 });
  });
});

describe("Memcached stats", () => {
  it("reads STAT lines up to END, numbers only", () => {
    const s = parseMemcachedStats("STAT pid 9322\r\nSTAT version 1.6.18\r\nSTAT cmd_get 12\r\nSTAT limit_maxbytes 67108864\r\nEND\r\n");
    expect(s).toEqual({ pid: 9322, cmd_get: 12, limit_maxbytes: 67108864 });
  });
});

describe("Twemproxy stats", () => {
  const JSON_TEXT =
    '{"service":"nutcracker", "source":"vm", "version":"0.5.0", "uptime":4, "timestamp":1795327446, "total_connections":3, "curr_connections":1, "p1": {"client_eof":1, "client_err":0, "client_connections":2, "server_ejects":1, "forward_error":1, "fragments":0, "node1": {"server_eof":0, "server_err":1, "server_timedout":3, "server_connections":0, "server_ejected_at":1795327442932852, "requests":7, "request_bytes":70, "responses":7, "response_bytes":90, "in_queue":0, "in_queue_bytes":0, "out_queue":0, "out_queue_bytes":0}}}';
  it("reads pools and their servers", () => {
    const s = parseTwemproxyStats(JSON_TEXT);
    expect(s.uptime).toBe(4);
    expect(s.pools).toEqual([
      {
        name: "p1",
        clientConnections: 2,
        serverEjects: 1,
        forwardErrors: 1,
        servers: [{ name: "node1", requests: 7, requestBytes: 70, responseBytes: 90, timedOut: 3, errors: 1, connections: 0, ejectedAt: 1795327442932852 }],
      },
    ]);
  });
  it("refuses what is not Twemproxy's stats", () => {
    expect(() => parseTwemproxyStats('{"hello":1}')).toThrow(/Twemproxy/);
  });
});
