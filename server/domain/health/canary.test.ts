import { describe, expect, it } from "vitest";
import { canaryPlan, type CanaryService } from "./canary";
import { canaryKeys, parseMemcachedAnswers } from "./canary-probe";

const inst = (ip: string, port: number, role: string, shardIndex: number | null = null) => ({ ip, port, role, shardIndex });

describe("where the canary goes", () => {
  const shards: Omit<CanaryService, "auth"> = {
    id: 7,
    kind: "REDIS_TWEMPROXY",
    entryHost: "127.0.2.10",
    entryPort: 22121,
    instances: [
      inst("127.0.1.1", 22121, "PROXY"),
      inst("127.0.1.2", 22121, "PROXY"),
      ...[0, 1, 2, 3].flatMap((s) => [inst("127.0.1.3", 6379 + s, "MASTER", s), inst("127.0.1.4", 6379 + s, "REPLICA", s)]),
    ],
  };
  it("the VIP of a Twemproxy service, with 4 keys per shard", () => {
    expect(canaryPlan(shards)).toEqual({ via: "VIP", protocol: "REDIS", targets: [{ ip: "127.0.2.10", port: 22121 }], keysPerTarget: 16 });
  });
  it("a proxy when the entry point is one, or when there is no entry point", () => {
    expect(canaryPlan({ ...shards, entryHost: "127.0.1.2" })!.via).toBe("PROXY");
    expect(canaryPlan({ ...shards, entryHost: null, entryPort: null })).toMatchObject({ via: "PROXY", targets: [{ ip: "127.0.1.1", port: 22121 }] });
  });
  it("each master of a Sentinel service; each node of a Memcached without a proxy; nothing to probe without them", () => {
    const sentinel: Omit<CanaryService, "auth"> = {
      id: 8,
      kind: "REDIS_SENTINEL",
      entryHost: null,
      entryPort: null,
      instances: [inst("127.0.1.5", 6379, "MASTER", 0), inst("127.0.1.6", 6379, "REPLICA", 0), inst("127.0.1.7", 26379, "SENTINEL")],
    };
    expect(canaryPlan(sentinel)).toEqual({ via: "MASTER", protocol: "REDIS", targets: [{ ip: "127.0.1.5", port: 6379 }], keysPerTarget: 1 });
    const mc: Omit<CanaryService, "auth"> = {
      id: 9,
      kind: "MEMCACHED",
      entryHost: null,
      entryPort: null,
      instances: [inst("127.0.1.8", 11211, "CACHE", 0), inst("127.0.1.9", 11211, "CACHE", 1)],
    };
    expect(canaryPlan(mc)).toMatchObject({ via: "NODES", protocol: "MEMCACHED", targets: [{ ip: "127.0.1.8" }, { ip: "127.0.1.9" }] });
    expect(canaryPlan({ ...sentinel, instances: [inst("127.0.1.6", 6379, "REPLICA", 0)] })).toBeNull();
  });
  it("keys live under the reserved prefix, with hashed ends (so a proxy spreads them over its shards)", () => {
    const keys = canaryKeys(7, 16);
    expect(keys.every((k) => /^__hedwig:canary:7:[0-9a-f]{8}$/.test(k))).toBe(true);
    expect(new Set(keys).size).toBe(16);
    expect(canaryKeys(7, 16)).toEqual(keys);
  });
});

describe("Memcached answers", () => {
  const keys = ["a", "b"];
  it("counts keys stored and read back", () => {
    expect(parseMemcachedAnswers("STORED\r\nSTORED\r\nVALUE a 0 2\r\n42\r\nEND\r\nVALUE b 0 2\r\n42\r\nEND\r\n", keys, "42")).toEqual({
      answered: 4,
      ok: 2,
      error: null,
    });
  });
  it("a miss, a refusal or a different value fails that key with the reason", () => {
    expect(parseMemcachedAnswers("STORED\r\nSERVER_ERROR out of memory\r\nVALUE a 0 2\r\n42\r\nEND\r\nEND\r\n", keys, "42")).toEqual({
      answered: 4,
      ok: 1,
      error: "SERVER_ERROR out of memory",
    });
    expect(parseMemcachedAnswers("STORED\r\nSTORED\r\nEND\r\nVALUE b 0 2\r\n41\r\nEND\r\n", keys, "42")).toMatchObject({
      answered: 4,
      ok: 0,
      error: "the key written was not found",
    });
  });
  it("an answer cut in the middle is not complete yet", () => {
    expect(parseMemcachedAnswers("STORED\r\nSTORED\r\nVALUE a 0 2\r\n42\r\n", keys, "42").answered).toBe(2);
  });
});
