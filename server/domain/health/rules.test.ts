import { describe, expect, it } from "vitest";
import { escalationDue, headline, incidentStep, newReasons } from "./incidents";
import {
  instanceVerdict,
  nextSince,
  pagingReasons,
  replicaLag,
  serviceVerdict,
  type InstanceFacts,
  type Member,
  type Observed,
  type Reason,
  type ServiceFacts,
  type Verdict,
} from "./rules";
import { healthText } from "./text";
import { DEFAULT_THRESHOLDS, effectiveThresholds, orderErrors, overridesSchema, readOverrides, thresholdsSchema } from "./thresholds";
import { deliveryError, incidentLink, webhookBody, type AlertInput } from "./webhook-payloads";

const now = new Date("2026-11-22T06:00:25Z");
const en = healthText("en", now);
const zh = healthText("zh", now);
const master: InstanceFacts = { addr: "127.0.1.4:6380", software: "REDIS", role: "MASTER", shard: 2 };
const replica: InstanceFacts = { addr: "127.0.1.5:6380", software: "REDIS", role: "REPLICA", shard: 2, masterAddr: "127.0.1.4:6380", masterOffset: 1000 };
const proxy: InstanceFacts = { addr: "127.0.1.9:22121", software: "TWEMPROXY", role: "PROXY", shard: null };
const cache: InstanceFacts = { addr: "127.0.1.7:11211", software: "MEMCACHED", role: "CACHE", shard: 0 };
const sentinel: InstanceFacts = { addr: "127.0.1.9:26379", software: "REDIS_SENTINEL", role: "SENTINEL", shard: null };
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
const text = (v: Verdict, k = 0) => en.reason(v.reasons[k]!);

describe("instance rules", () => {
  it("green when nothing is wrong; unknown before the first poll", () => {
    expect(instanceVerdict(master, ok, redisT, now, null)).toEqual({ level: "GREEN", reasons: [] });
    expect(instanceVerdict(master, null, redisT, now, null).level).toBe("UNKNOWN");
  });

  it("an unreachable master is red, a replica or one of several proxies amber, the only proxy red; named, for how long, with the error", () => {
    const down = { ...ok, up: false, extra: { error: "connection refused" } };
    const v = instanceVerdict(master, down, redisT, now, new Date("2026-11-22T06:00:00Z"));
    expect(v.level).toBe("RED");
    expect(text(v)).toBe("127.0.1.4:6380 (master of shard 2) unreachable for 25 s: connection refused");
    expect(zh.reason(v.reasons[0]!)).toBe("127.0.1.4:6380（分片 2 的主） 已 25 秒 无法连接：connection refused");
    expect(instanceVerdict(replica, down, redisT, now, now).level).toBe("AMBER");
    expect(instanceVerdict({ ...proxy, otherProxiesUp: 1 }, down, redisT, now, now).level).toBe("AMBER");
    expect(instanceVerdict({ ...proxy, otherProxiesUp: 0 }, down, redisT, now, now).level).toBe("RED");
  });

  it("a Sentinel is redundancy: down is amber; up, it is green while every master it watches has a quorum, amber (named, with Sentinel's words) when not", () => {
    expect(instanceVerdict(sentinel, { ...ok, up: false, extra: { error: "connection refused" } }, redisT, now, now)).toMatchObject({
      level: "AMBER",
      reasons: [{ code: "unreachable", params: { role: "SENTINEL" } }],
    });
    const view = (name: string, quorumOk: boolean) => ({
      name,
      ip: "127.0.1.4",
      port: 6380,
      flags: "master",
      quorum: 2,
      otherSentinels: 1,
      quorumOk,
      quorumError: quorumOk ? null : "NOQUORUM 1 usable Sentinels",
    });
    const nothing = { ...ok, usedMemoryMb: null, maxmemoryMb: null, hitsPerSec: null, missesPerSec: null, latencyP99Us: null };
    expect(instanceVerdict(sentinel, { ...nothing, extra: { sentinel: [view("svc-0", true), view("svc-1", true)] } }, redisT, now, null)).toEqual({
      level: "GREEN",
      reasons: [],
    });
    const v = instanceVerdict(sentinel, { ...nothing, extra: { sentinel: [view("svc-0", true), view("svc-1", false)] } }, redisT, now, null);
    expect(v.level).toBe("AMBER");
    expect(text(v)).toBe("127.0.1.9:26379 (sentinel) cannot authorize a failover of svc-1: NOQUORUM 1 usable Sentinels");
    expect(zh.reason(v.reasons[0]!)).toContain("svc-1");
  });

  it("an instance on a host that stopped answering says so and carries the host", () => {
    const v = instanceVerdict(
      { ...master, hostDown: { hostId: 9, ip: "127.0.1.4", since: new Date("2026-11-22T06:00:05Z") } },
      { ...ok, up: false },
      redisT,
      now,
      now,
    );
    expect(v.reasons[0]).toMatchObject({ code: "host_unreachable", level: "RED", params: { hostId: 9 } });
    expect(text(v)).toBe("127.0.1.4:6380 (master of shard 2) down: its host 127.0.1.4 stopped answering 20 s ago");
  });

  it("a replica's broken link is amber (redundancy lost, clients served)", () => {
    const down = instanceVerdict(replica, { ...ok, replLinkUp: false, extra: { masterLinkDownSec: 12 } }, redisT, now, null);
    expect(down.level).toBe("AMBER");
    expect(text(down)).toBe("127.0.1.5:6380 (replica of shard 2): replication link to its master 127.0.1.4:6380 down for 12 s");
  });

  it("lag comes from offsets: an idle replica with its master's offset is never late, whatever the last I/O says", () => {
    expect(replicaLag(1000, 1000, 10)).toEqual({ sec: 0, bytes: 0 });
    expect(replicaLag(900, 1000, 15)).toEqual({ sec: 15, bytes: 100 });
    expect(replicaLag(null, 1000, 15)).toBeNull();
    const idle = { ...ok, replLinkUp: true, replLagSec: 10, extra: { replOffset: 1000 } };
    expect(instanceVerdict(replica, idle, redisT, now, null).level).toBe("GREEN");
    expect(instanceVerdict(replica, { ...idle, replLagSec: 59 }, redisT, now, null).level).toBe("GREEN");
    const behind = { ...idle, replLagSec: 15, extra: { replOffset: 400 } };
    expect(instanceVerdict(replica, behind, redisT, now, null).level).toBe("AMBER");
    expect(text(instanceVerdict(replica, behind, redisT, now, null))).toBe(
      "127.0.1.5:6380 (replica of shard 2) lags its master by 15 s (600 bytes behind), from 10 s",
    );
    expect(instanceVerdict(replica, { ...behind, replLagSec: 61 }, redisT, now, null).level).toBe("RED");
    // without the master's offset (not polled) no lag is claimed
    expect(instanceVerdict({ ...replica, masterOffset: null }, behind, redisT, now, null).level).toBe("GREEN");
  });

  it("an instance in maintenance is only that: shown, with until when and the note", () => {
    const m = { ...master, maintenance: { until: new Date("2026-11-22T07:00:00Z"), note: "disk swap" } };
    const v = instanceVerdict(m, { ...ok, up: false }, redisT, now, now);
    expect(v).toMatchObject({ level: "MAINTENANCE", reasons: [{ code: "maintenance", params: { down: true, note: "disk swap" } }] });
    expect(text(v)).toMatch(/^127\.0\.1\.4:6380 \(master of shard 2\) in maintenance until .*15:00: disk swap \(stopped\)$/);
    // a window that ended is no longer maintenance
    expect(
      instanceVerdict({ ...master, maintenance: { until: new Date("2026-11-22T05:00:00Z"), note: null } }, { ...ok, up: false }, redisT, now, now).level,
    ).toBe("RED");
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

  it("rejected connections are red; evictions red only where the service must not evict", () => {
    expect(instanceVerdict(master, { ...ok, rejectedPerSec: 0.5 }, redisT, now, null).reasons[0]).toMatchObject({ level: "RED", code: "connections_rejected" });
    expect(instanceVerdict(master, { ...ok, evictionsPerSec: 3 }, redisT, now, null).level).toBe("RED");
    expect(instanceVerdict(cache, { ...ok, evictionsPerSec: 3 }, mcT, now, null).level).toBe("GREEN");
    expect(
      instanceVerdict(master, { ...ok, evictionsPerSec: 3 }, effectiveThresholds(DEFAULT_THRESHOLDS, { mustNotEvict: false }, "REDIS"), now, null).level,
    ).toBe("GREEN");
  });

  it("hit ratio, latency, Twemproxy ejections and timeouts", () => {
    expect(instanceVerdict(master, { ...ok, hitsPerSec: 50, missesPerSec: 50 }, redisT, now, null).reasons[0]).toMatchObject({
      level: "AMBER",
      code: "hit_ratio",
    });
    expect(instanceVerdict(master, { ...ok, hitsPerSec: 1, missesPerSec: 5 }, redisT, now, null).level).toBe("GREEN");
    expect(text(instanceVerdict(master, { ...ok, latencyP99Us: 60_000 }, redisT, now, null))).toBe(
      "127.0.1.4:6380 (master of shard 2) p99 latency 60 ms, over 50 ms",
    );
    const e = instanceVerdict(proxy, { ...ok, proxyEjected: 1, proxyTimeouts: 0, extra: { ejected: ["shard1"] } }, redisT, now, null);
    expect(text(e)).toBe("127.0.1.9:22121 (proxy) ejected 1 server (shard1) in the last poll interval");
    expect(instanceVerdict(proxy, { ...ok, proxyEjected: 0, proxyTimeouts: 3 }, redisT, now, null).level).toBe("AMBER");
    expect(instanceVerdict(proxy, { ...ok, proxyEjected: 0, proxyTimeouts: 300 }, redisT, now, null).level).toBe("RED");
  });
});

const member = (facts: InstanceFacts, s: Observed | null): Member => ({ facts, verdict: instanceVerdict(facts, s, redisT, now, now), up: s ? s.up : null });
const twoShards = (m0: Observed, r0: Observed = ok): Member[] => [
  member({ ...master, shard: 0, addr: "127.0.1.1:6379" }, m0),
  member({ ...replica, shard: 0, addr: "127.0.1.2:6379", masterOffset: null }, r0),
  member({ ...master, shard: 1, addr: "127.0.1.3:6380" }, ok),
  member({ ...replica, shard: 1, addr: "127.0.1.4:6380", masterOffset: null }, ok),
  member({ ...proxy, addr: "127.0.1.9:22121", otherProxiesUp: 1 }, ok),
  member({ ...proxy, addr: "127.0.1.10:22121", otherProxiesUp: 1 }, ok),
];
const svc = (members: Member[], extra: Partial<ServiceFacts> = {}): ServiceFacts => ({
  kind: "REDIS_TWEMPROXY",
  members,
  canary: null,
  automatic: [],
  sentinels: null,
  ...extra,
});
const passing = { ok: true, entry: "127.0.2.10:22121", via: "VIP", keys: 16, failed: 0, error: null, failingSince: null };

describe("service colours follow what clients see", () => {
  it("green when the canary passes and every instance is green", () => {
    expect(serviceVerdict(svc(twoShards(ok), { canary: passing }), now)).toEqual({ level: "GREEN", reasons: [] });
    expect(serviceVerdict(svc([]), now).level).toBe("UNKNOWN");
  });

  it("a shard without a master is red, with the impact as a share of the keys", () => {
    const v = serviceVerdict(svc(twoShards({ ...ok, up: false })), now);
    expect(v.level).toBe("RED");
    expect(v.reasons[0]).toMatchObject({ code: "shard_no_master", params: { shard: 0, shards: 2, pct: 50 } });
    expect(en.reason(v.reasons[0]!)).toBe("shard 0 has no master: about 50% of the keys fail");
    expect(zh.reason(v.reasons[0]!)).toBe("分片 0 没有主：约 50% 的键失败");
    const single = serviceVerdict({ ...svc([member({ ...master, shard: 0 }, { ...ok, up: false })]), kind: "REDIS_SENTINEL" }, now);
    expect(en.reason(single.reasons[0]!)).toBe("shard 0 has no master: every key fails");
  });

  it("a failed canary is red and says how many keys failed through which entry point, for how long", () => {
    const canary = { ...passing, ok: false, failed: 8, error: "127.0.2.10:22121: ERR Connection refused", failingSince: new Date("2026-11-22T06:00:15Z") };
    const v = serviceVerdict(svc(twoShards(ok), { canary }), now);
    expect(v.level).toBe("RED");
    expect(en.reason(v.reasons[0]!)).toBe(
      "clients see errors: 8 of 16 canary keys failed through the VIP 127.0.2.10:22121 for 10 s: 127.0.2.10:22121: ERR Connection refused",
    );
    expect(pagingReasons(v)).toHaveLength(1);
  });

  it("a replica or one of two proxies down is amber: redundancy lost while clients are served", () => {
    expect(serviceVerdict(svc(twoShards(ok, { ...ok, up: false }), { canary: passing }), now).level).toBe("AMBER");
    const members = twoShards(ok);
    members[4] = member({ ...proxy, otherProxiesUp: 1 }, { ...ok, up: false });
    expect(serviceVerdict(svc(members, { canary: passing }), now).level).toBe("AMBER");
  });

  it("Hedwig's own failover running is amber and says since when; Sentinel quorum at risk is amber", () => {
    const v = serviceVerdict(svc(twoShards(ok), { canary: passing, automatic: [{ kind: "instance.failover", since: new Date("2026-11-22T06:00:22Z") }] }), now);
    expect(v.level).toBe("AMBER");
    expect(en.reason(v.reasons[0]!)).toBe("automatic failover started 3 s ago");
    const q = serviceVerdict(svc(twoShards(ok), { canary: passing, sentinels: { up: 1, total: 3 } }), now);
    expect(en.reason(q.reasons[0]!)).toBe("Sentinel quorum lost: 1 of 3 sentinels answer (a failover needs 2)");
  });

  it("a DBA's maintenance explains the outage it causes: shown red, nothing pages", () => {
    const only = member({ ...cache, maintenance: { until: new Date("2026-11-22T07:00:00Z"), note: null } }, { ...ok, up: false });
    const canary = { ...passing, via: "NODES", ok: false, failed: 1, keys: 1 };
    const v = serviceVerdict({ ...svc([only], { canary }), kind: "MEMCACHED" }, now);
    expect(v.level).toBe("RED");
    expect(v.reasons.filter((r) => r.level === "RED").every((r) => r.params.maintenance === true)).toBe(true);
    expect(pagingReasons(v)).toEqual([]);
    expect(incidentStep(null, v)).toEqual({ kind: "none" });
    // a stopped replica in maintenance leaves the service green
    const members = twoShards(ok);
    members[1] = member({ ...replica, shard: 0, maintenance: { until: new Date("2026-11-22T07:00:00Z"), note: null } }, { ...ok, up: false });
    expect(serviceVerdict(svc(members, { canary: passing }), now).level).toBe("GREEN");
  });

  it("a dead host explains what it took down: the service joins the host's incident instead of opening its own", () => {
    const hostDown = { hostId: 7, ip: "127.0.1.1", since: now };
    const members = twoShards(ok);
    members[0] = member({ ...master, shard: 0, addr: "127.0.1.1:6379", hostDown }, { ...ok, up: false });
    const v = serviceVerdict(svc(members), now);
    expect(v.level).toBe("RED");
    expect(pagingReasons(v)).toEqual([]);
    expect(incidentStep(null, v)).toEqual({ kind: "joinHost", hostId: 7 });
  });
});

describe("incidents", () => {
  const red: Verdict = {
    level: "RED",
    reasons: [
      { code: "unreachable", level: "RED", params: { addr: "a" } },
      { code: "unreachable", level: "RED", params: { addr: "b" } },
    ],
  };
  it("open on the first red that pages, keep while not green, close on green; amber alone opens nothing", () => {
    expect(incidentStep(null, { level: "AMBER", reasons: [] })).toEqual({ kind: "none" });
    expect(incidentStep(null, { level: "GREEN", reasons: [] })).toEqual({ kind: "none" });
    expect(incidentStep(null, red)).toEqual({ kind: "open", reasons: red.reasons });
    expect(incidentStep({ id: 1, hostId: null }, red)).toEqual({ kind: "keep", id: 1 });
    expect(incidentStep({ id: 1, hostId: null }, { level: "AMBER", reasons: [] })).toEqual({ kind: "keep", id: 1 });
    expect(incidentStep({ id: 1, hostId: null }, { level: "GREEN", reasons: [] })).toEqual({ kind: "close", id: 1 });
    // on a host incident: leave when green, open its own when something else pages
    expect(incidentStep({ id: 2, hostId: 7 }, { level: "GREEN", reasons: [] })).toEqual({ kind: "leave" });
    expect(incidentStep({ id: 2, hostId: 7 }, red)).toEqual({ kind: "open", reasons: red.reasons });
    expect(headline(red.reasons)).toBe("unreachable addr=a");
  });

  it("a red reason new to the incident becomes a timeline entry", () => {
    const more: Reason = { code: "shard_no_master", level: "RED", params: { shard: 1 } };
    expect(newReasons(red.reasons, [...red.reasons, more])).toEqual([more]);
    expect(newReasons(red.reasons, red.reasons)).toEqual([]);
  });

  it("escalates when not acknowledged within the minutes of its importance, once, not while silenced", () => {
    const after = { "1": 120, "2": 60, "3": 30, "4": 15, "5": 10 };
    const i = { openedAt: new Date(now.getTime() - 11 * 60_000), importance: 5, acknowledgedAt: null, escalatedAt: null, silencedUntil: null };
    expect(escalationDue(i, after, now)).toBe(true);
    expect(escalationDue({ ...i, importance: 3 }, after, now)).toBe(false);
    expect(escalationDue({ ...i, acknowledgedAt: now }, after, now)).toBe(false);
    expect(escalationDue({ ...i, escalatedAt: now }, after, now)).toBe(false);
    expect(escalationDue({ ...i, silencedUntil: new Date(now.getTime() + 60_000) }, after, now)).toBe(false);
  });

  it("since moves only when the level changes", () => {
    const t0 = new Date(0);
    expect(nextSince({ level: "RED", since: t0 }, "RED", now)).toBe(t0);
    expect(nextSince({ level: "RED", since: t0 }, "GREEN", now)).toBe(now);
    expect(nextSince(null, "GREEN", now)).toBe(now);
  });
});

describe("notices carry the live duration", () => {
  it("the duration is counted from when the incident opened, as of when the text is rendered", () => {
    const params = { service: "cart-cache", openedAt: "2026-11-22T05:58:25Z", reason: { code: "shard_no_master", params: { shard: 0, shards: 2, pct: 50 } } };
    expect(en.notice({ code: "incident_opened", params })).toEqual({
      title: "cart-cache is red",
      body: "shard 0 has no master: about 50% of the keys fail — for 2 min",
    });
    expect(healthText("en", new Date("2026-11-22T06:10:25Z")).notice({ code: "incident_opened", params }).body).toMatch(/for 12 min$/);
    expect(en.notice({ code: "incident_resolved", params: { service: "cart-cache", durationSec: 203 } }).body).toBe("Resolved after 3 min");
  });

  it("says the duration once when the reason's own text carries it", () => {
    const since = new Date(now.getTime() - 14_000).toISOString();
    const reason = { code: "canary_failed", params: { failed: 2, keys: 4, via: "VIP", entry: "127.0.106.80:22122", since, error: null } };
    const params = { service: "cart-cache", openedAt: since, reason };
    expect(en.notice({ code: "incident_opened", params }).body).toBe(
      "clients see errors: 2 of 4 canary keys failed through the VIP 127.0.106.80:22122 for 14 s",
    );
    expect(zh.notice({ code: "incident_opened", params }).body).toBe("客户端出错：经VIP 127.0.106.80:22122 的探针键 4 个中 2 个失败，已持续 14 秒");
    const unreachable = { code: "unreachable", params: { addr: "127.0.0.5:6379", role: "MASTER", shard: 0, since, error: null } };
    expect(en.notice({ code: "incident_opened", params: { ...params, reason: unreachable } }).body.match(/14 s/g)).toHaveLength(1);
    expect(zh.notice({ code: "incident_opened", params: { ...params, reason: unreachable } }).body.match(/14 秒/g)).toHaveLength(1);
  });
});

describe("thresholds", () => {
  it("validate ranges with messages per field, amber before red, overrides partial", () => {
    const bad = thresholdsSchema.safeParse({ ...DEFAULT_THRESHOLDS, memoryRedPct: 120 });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]).toMatchObject({ path: ["memoryRedPct"], message: "refusals.fields.pctOfMaxmemory" });
    expect(orderErrors({ memoryAmberPct: 95, memoryRedPct: 90 })).toEqual({ memoryRedPct: { code: "refusals.health.belowAmber", params: { amber: 95 } } });
    expect(overridesSchema.safeParse({ memoryRedPct: 95 }).success).toBe(true);
    expect(overridesSchema.safeParse({ bogus: 1 }).success).toBe(false);
    expect(readOverrides({ memoryRedPct: "high" })).toEqual({});
  });
});

describe("webhook payloads", () => {
  const a: AlertInput = {
    event: "opened",
    incidentId: 7,
    openedAt: new Date("2026-11-22T06:00:00Z"),
    closedAt: null,
    host: null,
    services: [{ id: 12, name: "cart-cache", productLine: "trade-cart" }],
    title: "cart-cache is red",
    text: "shard 0 has no master: about 50% of the keys fail — for 25 s",
    ref: "incident #7",
    reasons: [{ code: "shard_no_master", level: "RED", params: { shard: 0 }, text: "shard 0 has no master: about 50% of the keys fail" }],
    link: incidentLink("http://hedwig.example/", 7),
  };
  it("link points at the incident page", () => expect(a.link).toBe("http://hedwig.example/incidents/7"));
  it("generic JSON carries the event, the incident with codes and texts, the services and the link", () => {
    expect(webhookBody("GENERIC", a)).toEqual({
      event: "incident.opened",
      incident: { id: 7, openedAt: "2026-11-22T06:00:00.000Z", closedAt: null, host: null, title: a.title, text: a.text, reasons: a.reasons },
      services: a.services,
      level: "RED",
      link: a.link,
    });
    expect((webhookBody("GENERIC", { ...a, event: "resolved" }) as { event: string; level: string }).level).toBe("GREEN");
  });
  it("DingTalk and WeCom robots get markdown with the text and the link", () => {
    const d = webhookBody("DINGTALK", a) as { msgtype: string; markdown: { title: string; text: string } };
    expect(d.msgtype).toBe("markdown");
    expect(d.markdown.title).toBe("Hedwig: cart-cache is red");
    expect(d.markdown.text).toContain(a.text);
    expect(d.markdown.text).toContain(`(${a.link})`);
    const w = webhookBody("WECOM", a) as { msgtype: string; markdown: { content: string } };
    expect(w.markdown.content).toContain(a.text);
    expect(w.markdown.content).toContain(a.link);
  });
  it("a robot's errcode is a failed delivery", () => {
    expect(deliveryError("DINGTALK", 200, '{"errcode":310000,"errmsg":"keywords not in content"}')).toBe(
      "robot refused: errcode 310000 keywords not in content",
    );
    expect(deliveryError("WECOM", 200, '{"errcode":0,"errmsg":"ok"}')).toBeNull();
    expect(deliveryError("GENERIC", 500, "boom")).toBe("HTTP 500: boom");
    expect(deliveryError("GENERIC", 204, "")).toBeNull();
  });
});
