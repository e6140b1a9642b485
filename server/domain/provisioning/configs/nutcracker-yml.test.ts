import { describe, expect, it } from "vitest";
import { DomainError } from "../../errors";
import { renderNutcrackerYml, type NutcrackerInput } from "./nutcracker-yml";

const redisPool: NutcrackerInput = {
  pool: "trade-cart-redis-02",
  listen: { ip: "10.20.4.14", port: 22121 },
  redis: true,
  servers: [
    { name: "shard-0", ip: "10.20.1.11", port: 6379, weight: 1 },
    { name: "shard-1", ip: "10.20.1.12", port: 6379, weight: 1 },
    { name: "shard-2", ip: "10.20.1.13", port: 6380, weight: 1 },
  ],
  redisAuth: "app-password-0000000000000000000000000000",
};

describe("renderNutcrackerYml", () => {
  it("renders a Redis pool that never ejects a shard", async () => {
    const text = renderNutcrackerYml(redisPool);
    await expect(text).toMatchFileSnapshot("./__golden__/nutcracker-redis.yml");
    expect(text).toContain("  auto_eject_hosts: false\n");
    expect(text).not.toContain("server_failure_limit");
    expect(text).toContain("  redis_auth: app-password-0000000000000000000000000000\n");
  });

  it("renders a Memcached pool that ejects a failed node and retries it later", async () => {
    const text = renderNutcrackerYml({
      pool: "promo-banner-mc",
      listen: { ip: "10.20.4.15", port: 22122 },
      redis: false,
      servers: [
        { name: "node-0", ip: "10.20.5.21", port: 11211, weight: 1 },
        { name: "node-1", ip: "10.20.5.22", port: 11211, weight: 2 },
      ],
      options: { timeoutMs: 200, serverRetryTimeoutMs: 10_000, serverFailureLimit: 2 },
    });
    await expect(text).toMatchFileSnapshot("./__golden__/nutcracker-memcached.yml");
  });

  it.each<[Partial<NutcrackerInput>, string]>([
    [{ redis: false }, "pool trade-cart-redis-02 is a Memcached pool: Twemproxy has no password for it"],
    [{ redisAuth: "a password" }, "the application password cannot go into a config file"],
    [{ servers: [] }, "pool trade-cart-redis-02 needs at least one server"],
    [{ pool: "trade cart" }, 'pool name "trade cart" cannot go into a config file'],
    [{ listen: { ip: "10.20.4.14", port: 99999 } }, "listen port 99999 is not a port: use 1–65535"],
    [{ servers: [{ name: "shard-0", ip: "10.20.1.11", port: 6379, weight: 0 }] }, "weight 0 of server shard-0 is not valid: use a whole number ≥ 1"],
    [
      {
        servers: [
          { name: "s", ip: "10.20.1.11", port: 6379, weight: 1 },
          { name: "s", ip: "10.20.1.12", port: 6379, weight: 1 },
        ],
      },
      "server name s appears twice in pool trade-cart-redis-02: each shard needs its own name",
    ],
  ])("refuses %o", (change, message) => {
    const run = () => renderNutcrackerYml({ ...redisPool, ...change });
    expect(run).toThrow(DomainError);
    expect(run).toThrow(message);
  });
});
