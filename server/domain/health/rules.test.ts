import { describe, expect, it } from "vitest";
import { headline, incidentStep } from "./incidents";
import { instanceLabel, instanceVerdict, nextSince, serviceVerdict, type InstanceFacts, type Observed } from "./rules";
import { DEFAULT_THRESHOLDS, effectiveThresholds, orderErrors, overridesSchema, readOverrides, thresholdsSchema } from "./thresholds";
import { deliveryError, serviceLink, webhookBody, type AlertInput } from "./webhook-payloads";

const now = new Date("2026-11-22T06:00:25Z");
const master: InstanceFacts = { label: instanceLabel("127.0.1.4", 6380, "MASTER", 2), software: "REDIS", role: "MASTER" };
const replica: InstanceFacts = { label: instanceLabel("127.0.1.5", 6380, "REPLICA", 2), software: "REDIS", role: "REPLICA", masterAddr: "127.0.1.4:6380" };
const proxy: InstanceFacts = { label: instanceLabel("127.0.1.9", 22121, "PROXY", null), software: "TWEMPROXY", role: "PROXY" };
const cache: InstanceFacts = { label: instanceLabel("127.0.1.7", 11211, "CACHE", 0), software: "MEMCACHED", role: "CACHE" };
const redisT = effectiveThresholds(DEFAULT_THRESHOLDS, {}, "REDIS");
const mcT = effectiveThresholds(DEFAULT_THRESHOLDS, {}, "MEMCACHED");

const ok: Observed = {
  up: true,
  usedMemoryMb: 10,
  maxmemoryMb: 100,
  replLinkUp: null,
  replLagSec: null,
  rejectedPerSec: 0,
  evictionsPerSec: 0,
  hitsPerSec: 100,
  missesPerSec: 1,
  latencyP99Us: 100,
  proxyEjected: null,
  proxyTimeouts: null,
  extra: null,
};

describe("instance rules", () => {
  it("green when nothing is wrong; unknown before the first poll", () => {
    expect(instanceVerdict(master, ok, redisT, now, null)).toEqual({ level: "GREEN", reasons: [] });
    expect(instanceVerdict(master, null, redisT, now, null).level).toBe("UNKNOWN");
  });

  it("unreachable: red, named, for how long, with the error", () => {
    const v = instanceVerdict(master, { ...ok, up: false, extra: { error: "connection refused" } }, redisT, now, new Date("2026-11-22T06:00:00Z"));
    expect(v.level).toBe("RED");
    expect(v.reasons[0]!.message).toBe("127.0.1.4:6380 (master of shard 2) unreachable for 25 s: connection refused");
  });

  it("replication link down and lagging", () => {
    const down = instanceVerdict(replica, { ...ok, replLinkUp: false, extra: { masterLinkDownSec: 12 } }, redisT, now, null);
    expect(down.level).toBe("RED");
    expect(down.reasons[0]).toMatchObject({ code: "replication_link_down", message: "127.0.1.5:6380 (replica of shard 2): replication link to its master 127.0.1.4:6380 down for 12 s" });
    expect(instanceVerdict(replica, { ...ok, replLinkUp: true, replLagSec: 15 }, redisT, now, null).level).toBe("AMBER");
    expect(instanceVerdict(replica, { ...ok, replLinkUp: true, replLagSec: 61 }, redisT, now, null).level).toBe("RED");
    expect(instanceVerdict(replica, { ...ok, replLinkUp: true, replLagSec: 1 }, redisT, now, null).level).toBe("GREEN");
  });

  it.each([
    [79, "GREEN"],
    [80, "AMBER"],
    [89.9, "AMBER"],
    [90, "RED"],
  ])("memory at %s%% of maxmemory is %s", (pct, level) => {
    expect(instanceVerdict(master, { ...ok, usedMemoryMb: pct, maxmemoryMb: 100 }, redisT, now, null).level).toBe(level);
  });

  it("memory is not judged on Memcached (it fills by design) nor without maxmemory", () => {
    expect(instanceVerdict(cache, { ...ok, usedMemoryMb: 99 }, mcT, now, null).level).toBe("GREEN");
    expect(instanceVerdict(master, { ...ok, usedMemoryMb: 99, maxmemoryMb: null }, redisT, now, null).level).toBe("GREEN");
  });

  it("rejected connections are red", () => {
    const v = instanceVerdict(master, { ...ok, rejectedPerSec: 0.5 }, redisT, now, null);
    expect(v.reasons[0]).toMatchObject({ level: "RED", code: "connections_rejected" });
  });

  it("evictions are red only where the service must not evict (Redis by default, or by override)", () => {
    expect(instanceVerdict(master, { ...ok, evictionsPerSec: 3 }, redisT, now, null).level).toBe("RED");
    expect(instanceVerdict(cache, { ...ok, evictionsPerSec: 3 }, mcT, now, null).level).toBe("GREEN");
    expect(instanceVerdict(master, { ...ok, evictionsPerSec: 3 }, effectiveThresholds(DEFAULT_THRESHOLDS, { mustNotEvict: false }, "REDIS"), now, null).level).toBe("GREEN");
    expect(instanceVerdict(cache, { ...ok, evictionsPerSec: 3 }, effectiveThresholds(DEFAULT_THRESHOLDS, { mustNotEvict: true }, "MEMCACHED"), now, null).level).toBe("RED");
  });

  it("hit ratio fallen, only with enough lookups", () => {
    expect(instanceVerdict(master, { ...ok, hitsPerSec: 50, missesPerSec: 50 }, redisT, now, null).reasons[0]).toMatchObject({ level: "AMBER", code: "hit_ratio" });
    expect(instanceVerdict(master, { ...ok, hitsPerSec: 1, missesPerSec: 5 }, redisT, now, null).level).toBe("GREEN");
  });

  it("latency p99 amber then red, per service override", () => {
    expect(instanceVerdict(master, { ...ok, latencyP99Us: 20_000 }, redisT, now, null).level).toBe("AMBER");
    expect(instanceVerdict(master, { ...ok, latencyP99Us: 60_000 }, redisT, now, null).reasons[0]!.message).toBe("127.0.1.4:6380 (master of shard 2) p99 latency 60 ms, over 50 ms");
    expect(instanceVerdict(master, { ...ok, latencyP99Us: 20_000 }, effectiveThresholds(DEFAULT_THRESHOLDS, { latencyP99AmberUs: 30_000, latencyP99RedUs: 40_000 }, "REDIS"), now, null).level).toBe("GREEN");
  });

  it("Twemproxy ejecting servers is red, naming them; timeouts amber then red", () => {
    const e = instanceVerdict(proxy, { ...ok, proxyEjected: 1, proxyTimeouts: 0, extra: { ejected: ["shard1"] } }, redisT, now, null);
    expect(e.reasons[0]).toMatchObject({ level: "RED", message: "127.0.1.9:22121 (proxy) ejected 1 server (shard1) in the last poll interval" });
    expect(instanceVerdict(proxy, { ...ok, proxyEjected: 0, proxyTimeouts: 3 }, redisT, now, null).level).toBe("AMBER");
    expect(instanceVerdict(proxy, { ...ok, proxyEjected: 0, proxyTimeouts: 300 }, redisT, now, null).level).toBe("RED");
  });
});

describe("service roll-up", () => {
  it("worst level, red reasons first; no instances is unknown", () => {
    const a = instanceVerdict(master, { ...ok, latencyP99Us: 20_000 }, redisT, now, null);
    const b = instanceVerdict(replica, { ...ok, replLinkUp: false }, redisT, now, null);
    const s = serviceVerdict([a, b, { level: "GREEN", reasons: [] }]);
    expect(s.level).toBe("RED");
    expect(s.reasons.map((r) => r.level)).toEqual(["RED", "AMBER"]);
    expect(serviceVerdict([]).level).toBe("UNKNOWN");
  });

  it("since moves only when the level changes", () => {
    const t0 = new Date(0);
    expect(nextSince({ level: "RED", since: t0 }, "RED", now)).toBe(t0);
    expect(nextSince({ level: "RED", since: t0 }, "GREEN", now)).toBe(now);
    expect(nextSince(null, "GREEN", now)).toBe(now);
  });
});

describe("incidents", () => {
  const red = [{ code: "unreachable", level: "RED" as const, message: "a down" }, { code: "unreachable", level: "RED" as const, message: "b down" }];
  it("open on the first red, update while not green, close on green; amber alone opens nothing", () => {
    expect(incidentStep(null, "AMBER", [])).toEqual({ kind: "none" });
    expect(incidentStep(null, "GREEN", [])).toEqual({ kind: "none" });
    expect(incidentStep(null, "RED", red)).toEqual({ kind: "open", reason: "a down (+1 more)", reasons: red });
    expect(incidentStep({ id: 1, reason: "x" }, "RED", red)).toEqual({ kind: "update", id: 1, reasons: red });
    expect(incidentStep({ id: 1, reason: "x" }, "AMBER", [])).toEqual({ kind: "update", id: 1, reasons: [] });
    expect(incidentStep({ id: 1, reason: "x" }, "UNKNOWN", [])).toEqual({ kind: "update", id: 1, reasons: [] });
    expect(incidentStep({ id: 1, reason: "x" }, "GREEN", [])).toEqual({ kind: "close", id: 1 });
    expect(headline([red[0]!])).toBe("a down");
  });
});

describe("thresholds", () => {
  it("validate ranges with messages per field, amber before red, overrides partial", () => {
    const bad = thresholdsSchema.safeParse({ ...DEFAULT_THRESHOLDS, memoryRedPct: 120 });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]).toMatchObject({ path: ["memoryRedPct"], message: "use 1–100 (% of maxmemory)" });
    expect(orderErrors({ memoryAmberPct: 95, memoryRedPct: 90 })).toEqual({ memoryRedPct: "must be at least the amber threshold (95)" });
    expect(overridesSchema.safeParse({ memoryRedPct: 95 }).success).toBe(true);
    expect(overridesSchema.safeParse({ bogus: 1 }).success).toBe(false);
    expect(readOverrides({ memoryRedPct: "high" })).toEqual({});
  });
});

describe("webhook payloads", () => {
  const a: AlertInput = {
    incidentId: 7,
    openedAt: new Date("2026-11-22T06:00:00Z"),
    service: { id: 12, name: "cart-cache", productLine: "trade-cart" },
    reason: "127.0.1.4:6380 (master of shard 2) unreachable for 25 s: connection refused",
    reasons: [{ code: "unreachable", level: "RED", message: "127.0.1.4:6380 (master of shard 2) unreachable for 25 s: connection refused" }],
    link: serviceLink("http://hedwig.example/", 12),
  };
  it("link points at the service page", () => expect(a.link).toBe("http://hedwig.example/inventory/services/12"));
  it("generic JSON carries the incident, the service and the link", () => {
    expect(webhookBody("GENERIC", a)).toEqual({
      event: "incident.opened",
      incident: { id: 7, openedAt: "2026-11-22T06:00:00.000Z", reason: a.reason, reasons: a.reasons },
      service: a.service,
      level: "RED",
      link: a.link,
    });
  });
  it("DingTalk and WeCom robots get markdown with the reason and the link", () => {
    const d = webhookBody("DINGTALK", a) as { msgtype: string; markdown: { title: string; text: string } };
    expect(d.msgtype).toBe("markdown");
    expect(d.markdown.title).toBe("Hedwig: cart-cache is RED");
    expect(d.markdown.text).toContain(a.reason);
    expect(d.markdown.text).toContain(`(${a.link})`);
    const w = webhookBody("WECOM", a) as { msgtype: string; markdown: { content: string } };
    expect(w.msgtype).toBe("markdown");
    expect(w.markdown.content).toContain(a.reason);
    expect(w.markdown.content).toContain(a.link);
  });
  it("a robot's errcode is a failed delivery", () => {
    expect(deliveryError("DINGTALK", 200, '{"errcode":310000,"errmsg":"keywords not in content"}')).toBe("robot refused: errcode 310000 keywords not in content");
    expect(deliveryError("WECOM", 200, '{"errcode":0,"errmsg":"ok"}')).toBeNull();
    expect(deliveryError("GENERIC", 500, "boom")).toBe("HTTP 500: boom");
    expect(deliveryError("GENERIC", 204, "")).toBeNull();
  });
});
