import { describe, expect, it } from "vitest";
import { diffParams, normalizeParam, normalizeParams } from "./params-catalog";
import { redisConfigSet, redisParamLines } from "./render-params";
import { renderNutcrackerYml } from "../provisioning/configs/nutcracker-yml";
import { nutcrackerOptionsOf } from "./render-params";

describe("the parameter catalogue", () => {
  it("takes a value inside its range and refuses one outside, naming the range", () => {
    expect(normalizeParam("REDIS", "hz", " 20 ")).toBe("20");
    expect(() => normalizeParam("REDIS", "hz", "0")).toThrow("hz 0 is outside its range: use a whole number from 1 to 500");
    expect(() => normalizeParam("REDIS", "hz", "1e3")).toThrow(/outside its range/);
    expect(() => normalizeParam("REDIS", "maxmemory-policy", "lru")).toThrow(/use one of noeviction, allkeys-lru/);
    expect(() => normalizeParam("REDIS", "save", "60 1")).toThrow("REDIS has no parameter save that Hedwig lets a DBA change");
    expect(normalizeParam("TWEMPROXY", "timeout", "800")).toBe("800");
    expect(() => normalizeParam("TWEMPROXY", "timeout", "0")).toThrow(/from 50 to 60000/);
  });

  it("reads a client output buffer limit as HARD SOFT SECONDS", () => {
    expect(normalizeParam("REDIS", "client-output-buffer-limit-replica", "512MB  128mb 60")).toBe("512mb 128mb 60");
    expect(() => normalizeParam("REDIS", "client-output-buffer-limit-replica", "512mb 60")).toThrow(/HARD SOFT SECONDS/);
    expect(() => normalizeParam("REDIS", "client-output-buffer-limit-replica", "100gb 1mb 60")).toThrow(/at most 64gb/);
    expect(redisConfigSet("client-output-buffer-limit-pubsub", "64mb 16mb 90")).toEqual(["client-output-buffer-limit", "pubsub 64mb 16mb 90"]);
    expect(redisParamLines({ hz: "20", "client-output-buffer-limit-normal": "0 0 0" })).toEqual(["hz 20", "client-output-buffer-limit normal 0 0 0"]);
  });

  it("checks a set against the service: its softwares, Memcached-only ejection, defaults dropped", () => {
    expect(normalizeParams({ REDIS: { hz: "10", timeout: "300" } }, ["REDIS"], false)).toEqual({ REDIS: { timeout: "300" } });
    expect(() => normalizeParams({ MEMCACHED: { threads: "8" } }, ["REDIS"], false)).toThrow("the service runs no MEMCACHED");
    expect(() => normalizeParams({ TWEMPROXY: { server_failure_limit: "5" } }, ["REDIS", "TWEMPROXY"], false)).toThrow(/only to a Twemproxy pool of Memcached/);
    expect(normalizeParams({ TWEMPROXY: { server_failure_limit: "5" } }, ["MEMCACHED", "TWEMPROXY"], true)).toEqual({
      TWEMPROXY: { server_failure_limit: "5" },
    });
  });

  it("diffs two versions in catalogue order, null for a default", () => {
    expect(diffParams({ REDIS: { hz: "20" } }, { REDIS: { timeout: "60" }, TWEMPROXY: { timeout: "900" } })).toEqual([
      { software: "REDIS", key: "timeout", from: null, to: "60" },
      { software: "REDIS", key: "hz", from: "20", to: null },
      { software: "TWEMPROXY", key: "timeout", from: null, to: "900" },
    ]);
  });

  it("renders Twemproxy's timeout per service (400 ms when the DBA sets none)", () => {
    const pool = { pool: "p", listen: { ip: "127.0.0.1", port: 22121 }, redis: true, servers: [{ name: "p-0", ip: "127.0.0.2", port: 6379, weight: 1 }] };
    expect(renderNutcrackerYml({ ...pool, options: nutcrackerOptionsOf(undefined) })).toContain("  timeout: 400\n");
    expect(renderNutcrackerYml({ ...pool, options: nutcrackerOptionsOf({ timeout: "1500" }) })).toContain("  timeout: 1500\n");
  });
});
