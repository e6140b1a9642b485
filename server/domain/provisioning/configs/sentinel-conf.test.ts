import { describe, expect, it } from "vitest";
import { DomainError } from "../../errors";
import { instanceLayout } from "../layout";
import { DEFAULT_RENAMED_COMMANDS } from "./redis-conf";
import { renderSentinelConf, type SentinelConfInput } from "./sentinel-conf";
import { TEST_SECRETS } from "./test-credentials";

const sentinel: SentinelConfInput = {
  title: "trade-cart-redis-01 sentinel 1 of 3",
  version: "7.0.15",
  credentials: TEST_SECRETS,
  bind: "10.20.3.13",
  port: 26379,
  paths: instanceLayout("REDIS_SENTINEL", "7.0.15", 26379),
  masters: [{ name: "trade-cart-redis-01", ip: "10.20.1.11", port: 6379 }],
  quorum: 2,
};

describe("renderSentinelConf", () => {
  it("renders the monitor line first, then the master's timings and the renamed CONFIG", async () => {
    const text = renderSentinelConf({ ...sentinel, renamedCommands: { ...DEFAULT_RENAMED_COMMANDS, CONFIG: "HEDWIG-CONFIG-7f3a" } });
    await expect(text).toMatchFileSnapshot("./__golden__/sentinel.conf");
    // disabled commands are nothing Sentinel sends, so they stay out
    expect(text).not.toContain("FLUSHALL");
  });

  it("is protected itself and logs in to Redis and to its peers as the Sentinel user", () => {
    const text = renderSentinelConf(sentinel);
    expect(text).toContain("\nuser default reset off\n");
    expect(text).toMatch(/\nuser app reset on #[0-9a-f]{64} &\* \+ping .*\+sentinel\|get-master-addr-by-name/);
    expect(text).toContain(`\nsentinel sentinel-user hedwig-sentinel\nsentinel sentinel-pass ${TEST_SECRETS.SENTINEL.passwords[0]}\n`);
    expect(text).toContain(
      `\nsentinel auth-user trade-cart-redis-01 hedwig-sentinel\nsentinel auth-pass trade-cart-redis-01 ${TEST_SECRETS.SENTINEL.passwords[0]}\n`,
    );
    expect(text).not.toContain(TEST_SECRETS.APP.passwords[0]);
    expect(text).not.toContain("hedwig-repl");
  });

  it("monitors several masters with the same quorum and timings", () => {
    const text = renderSentinelConf({
      ...sentinel,
      masters: [
        { name: "a-0", ip: "10.0.0.1", port: 6379 },
        { name: "a-1", ip: "10.0.0.2", port: 6380 },
      ],
      timings: { downAfterMs: 5000, failoverTimeoutMs: 30_000, parallelSyncs: 2 },
    });
    expect(text).toContain(
      "sentinel monitor a-0 10.0.0.1 6379 2\nsentinel down-after-milliseconds a-0 5000\nsentinel failover-timeout a-0 30000\nsentinel parallel-syncs a-0 2\n",
    );
    expect(text).toContain("sentinel monitor a-1 10.0.0.2 6380 2\n");
  });

  it.each<[Partial<SentinelConfInput>, string]>([
    [{ masters: [] }, "a Sentinel needs at least one master to monitor"],
    [{ quorum: 0 }, "Sentinel quorum 0 is not valid: use a whole number ≥ 1"],
    [{ masters: [{ name: "trade cart", ip: "10.20.1.11", port: 6379 }] }, 'master name "trade cart" cannot go into a config file'],
    [{ masters: [{ name: "m", ip: "10.20.1.300", port: 6379 }] }, 'address of master m "10.20.1.300" is not an IPv4 address'],
    [{ bind: "::1" }, 'bind address "::1" is not an IPv4 address'],
  ])("refuses %o", (change, message) => {
    const run = () => renderSentinelConf({ ...sentinel, ...change });
    expect(run).toThrow(DomainError);
    expect(run).toThrow(message);
  });
});
