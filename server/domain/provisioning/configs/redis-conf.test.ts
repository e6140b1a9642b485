import { describe, expect, it } from "vitest";
import { DomainError } from "../../errors";
import { instanceLayout } from "../layout";
import { DEFAULT_RENAMED_COMMANDS, renderRedisConf, type RedisConfInput } from "./redis-conf";
import { TEST_SECRETS } from "./test-credentials";

// Golden files: the expected text is committed in __golden__; `vitest run -u` rewrites it after an intended change.
const master: RedisConfInput = {
  title: "trade-cart-redis-01 shard 0 master",
  version: "7.0.15",
  bind: "10.20.1.11",
  port: 6379,
  paths: instanceLayout("REDIS", "7.0.15", 6379),
  maxmemoryMb: 10_752,
  persistence: "aof",
  replicaOf: null,
  credentials: TEST_SECRETS,
};

describe("renderRedisConf", () => {
  it("renders a persisted master that refuses writes when full", async () => {
    await expect(renderRedisConf(master)).toMatchFileSnapshot("./__golden__/redis-master-aof.conf");
  });

  it("renders a replica with snapshots and a guarded CONFIG", async () => {
    const replica = renderRedisConf({
      ...master,
      title: "trade-cart-redis-01 shard 0 replica 1",
      bind: "10.20.2.12",
      persistence: "rdb",
      replicaOf: { ip: "10.20.1.11", port: 6379 },
      renamedCommands: { ...DEFAULT_RENAMED_COMMANDS, CONFIG: "HEDWIG-CONFIG-7f3a" },
    });
    await expect(replica).toMatchFileSnapshot("./__golden__/redis-replica-rdb.conf");
  });

  it("renders a Redis 6 cache on a demo loopback host: LRU eviction, protected mode on, no Redis 7 lines", async () => {
    // as the local executor's resolve() maps host paths under the demo host's own directory
    const layout = instanceLayout("REDIS", "6.2.14", 6381);
    const resolve = (hostPath: string) => `/srv/hedwig/.data/hosts/127.0.1.4${hostPath}`;
    const cache = renderRedisConf({
      ...master,
      title: "promo-banner-cache shard 2 master",
      version: "6.2.14",
      bind: "127.0.1.4",
      port: 6381,
      paths: { dataDir: resolve(layout.dataDir), logFile: resolve(layout.logFile), pidFile: resolve(layout.pidFile) },
      maxmemoryMb: 512,
      persistence: "none",
    });
    await expect(cache).toMatchFileSnapshot("./__golden__/redis-cache-loopback-6.2.conf");
    expect(cache).not.toContain("latency-tracking");
  });

  it("keeps protected mode on everywhere: every user has a password, so it refuses no client that logs in", () => {
    expect(renderRedisConf(master)).toContain("\nprotected-mode yes\n");
    expect(renderRedisConf({ ...master, bind: "127.0.1.9" })).toContain("\nprotected-mode yes\n");
  });

  it("turns the default user off and keeps passwords out of the file, except the replication login it must send", () => {
    const text = renderRedisConf(master);
    expect(text).toContain("\nuser default reset off\n");
    expect(text).toMatch(/\nuser app reset on #[0-9a-f]{64} ~\* &\* \+@all -@admin -@dangerous \+info \+role\n/);
    for (const kind of ["APP", "OPS", "SENTINEL"] as const) expect(text).not.toContain(TEST_SECRETS[kind].passwords[0]);
    expect(text).toContain(`\nmasteruser hedwig-repl\nmasterauth ${TEST_SECRETS.REPL.passwords[0]}\n`);
  });

  it("accepts both passwords of a user being rotated", () => {
    const text = renderRedisConf({
      ...master,
      credentials: { ...TEST_SECRETS, APP: { username: "app", passwords: ["new-password-00000000000", "old-password-00000000000"] } },
    });
    expect(text).toMatch(/\nuser app reset on #[0-9a-f]{64} #[0-9a-f]{64} ~\*/);
  });

  it("behind Twemproxy, gives the application's password to the default user (Twemproxy logs in without a user name)", () => {
    const text = renderRedisConf({ ...master, credentials: { ...TEST_SECRETS, APP: { username: "default", passwords: TEST_SECRETS.APP.passwords } } });
    expect(text).not.toContain("user default reset off");
    expect(text).toMatch(/\nuser default reset on #[0-9a-f]{64} ~\* &\* \+@all -@admin -@dangerous/);
  });

  it("guards a Redis without users (before 6) with requirepass and renames the admin commands after Hedwig's own password", async () => {
    const text = renderRedisConf({ ...master, version: "5.0.14" });
    await expect(text).toMatchFileSnapshot("./__golden__/redis-legacy-5.0.conf");
    expect(text).toContain(`\nrequirepass ${TEST_SECRETS.APP.passwords[0]}\n`);
    expect(text).toMatch(/\nrename-command CONFIG CONFIG-[0-9a-f]{16}\n/);
    expect(text).not.toContain(TEST_SECRETS.OPS.passwords[0]);
  });

  it("keeps a title on its comment line", () => {
    expect(renderRedisConf({ ...master, title: "evil\nslaveof 1.2.3.4 6379" }).split("\n")[0]).toBe("# evil slaveof 1.2.3.4 6379");
  });

  it.each<[Partial<RedisConfInput>, string]>([
    [{ bind: "10.20.1" }, 'bind address "10.20.1" is not an IPv4 address such as 10.1.2.3'],
    [{ port: 0 }, "port 0 is not a port: use 1–65535"],
    [{ maxmemoryMb: 0 }, "maxmemory 0 MB is not valid: use a whole number of MB ≥ 1"],
    [{ version: "latest" }, 'Redis version "latest" is not a version such as 7.0.15'],
    [{ replicaOf: { ip: "master-1", port: 6379 } }, 'master address "master-1" is not an IPv4 address such as 10.1.2.3'],
    [{ renamedCommands: { CONFIG: "a b" } }, 'new name of CONFIG "a b" cannot go into a config file'],
    [{ credentials: { ...TEST_SECRETS, REPL: { username: "hedwig-repl", passwords: ["short"] } } }, "password 1 of hedwig-repl cannot go into a config file"],
    [
      { credentials: { ...TEST_SECRETS, APP: { username: "app user", passwords: TEST_SECRETS.APP.passwords } } },
      'user name "app user" cannot go into a config file',
    ],
  ])("refuses %o", (change, message) => {
    const run = () => renderRedisConf({ ...master, ...change });
    expect(run).toThrow(DomainError);
    expect(run).toThrow(message);
  });
});
