import { describe, expect, it } from "vitest";
import { decide, type ProcessFacts } from "./restart-policy";

const dead: ProcessFacts = { answering: false, hostReachable: true, busy: false, restartsLastHour: 0, held: false };

describe("restart policy", () => {
  it("restarts a dead process on a reachable host, counting the attempt", () => {
    expect(decide(dead, 3)).toEqual({ kind: "restart", attempt: 1 });
    expect(decide({ ...dead, restartsLastHour: 2 }, 3)).toEqual({ kind: "restart", attempt: 3 });
  });

  it("escalates instead of restarting once the hour's restarts are used up", () => {
    expect(decide({ ...dead, restartsLastHour: 3 }, 3)).toEqual({ kind: "escalate", restarts: 3 });
    expect(decide({ ...dead, restartsLastHour: 7 }, 3)).toEqual({ kind: "escalate", restarts: 7 });
  });

  it("leaves alone what it must not touch", () => {
    expect(decide({ ...dead, hostReachable: false }, 3)).toEqual({ kind: "none", why: "host_unreachable" });
    expect(decide({ ...dead, busy: true }, 3)).toEqual({ kind: "none", why: "busy" });
    // once escalated it stays down, however few restarts the hour now counts
    expect(decide({ ...dead, held: true, restartsLastHour: 0 }, 3)).toEqual({ kind: "none", why: "held" });
  });

  it("a dead Redis master with replicas is left to the failover: restarted empty, it would empty its replicas", () => {
    expect(decide({ ...dead, awaitsFailover: true }, 3)).toEqual({ kind: "none", why: "awaits_failover" });
    expect(decide({ ...dead, awaitsFailover: true, answering: true, hostReachable: null }, 3)).toEqual({ kind: "none", why: "answering" });
  });

  it("a process that answers needs nothing, and lifts an escalation", () => {
    expect(decide({ ...dead, answering: true, hostReachable: null }, 3)).toEqual({ kind: "none", why: "answering" });
    expect(decide({ ...dead, answering: true, hostReachable: null, held: true }, 3)).toEqual({ kind: "release" });
  });

  it("an unreachable host wins over the restart count: the host is the problem", () => {
    expect(decide({ ...dead, hostReachable: false, restartsLastHour: 9 }, 3)).toEqual({ kind: "none", why: "host_unreachable" });
  });
});
