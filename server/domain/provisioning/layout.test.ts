import { describe, expect, it } from "vitest";
import { DomainError } from "../errors";
import { DEFAULT_LAYOUT, instanceLayout } from "./layout";

describe("instanceLayout", () => {
  it("puts a Redis instance's files under one directory per kind, named by port, and its binary under its version", () => {
    expect(instanceLayout("REDIS", "7.0.15", 6380)).toEqual({
      installDir: "/opt/hedwig/redis/7.0.15",
      binary: "/opt/hedwig/redis/7.0.15/bin/redis-server",
      dataDir: "/data/hedwig/data/redis/6380",
      confFile: "/data/hedwig/conf/redis/6380.conf",
      logFile: "/data/hedwig/log/redis/6380.log",
      pidFile: "/data/hedwig/run/redis/6380.pid",
      dirs: ["/data/hedwig/data/redis/6380", "/data/hedwig/conf/redis", "/data/hedwig/log/redis", "/data/hedwig/run/redis"],
    });
  });

  it("keeps two versions side by side and lets the port alone tell instances apart", () => {
    const old = instanceLayout("REDIS", "6.2.14", 6379);
    const current = instanceLayout("REDIS", "7.0.15", 6380);
    expect(old.binary).toBe("/opt/hedwig/redis/6.2.14/bin/redis-server");
    expect(current.binary).toBe("/opt/hedwig/redis/7.0.15/bin/redis-server");
    expect(old.dataDir).not.toBe(current.dataDir);
  });

  it("runs Sentinel from the Redis package and gives each software its own directories", () => {
    expect(instanceLayout("REDIS_SENTINEL", "7.0.15", 26379)).toMatchObject({
      binary: "/opt/hedwig/redis/7.0.15/bin/redis-sentinel",
      dataDir: "/data/hedwig/data/sentinel/26379",
      confFile: "/data/hedwig/conf/sentinel/26379.conf",
      logFile: "/data/hedwig/log/sentinel/26379.log",
    });
    expect(instanceLayout("TWEMPROXY", "0.5.0", 22121)).toMatchObject({
      binary: "/opt/hedwig/twemproxy/0.5.0/bin/nutcracker",
      confFile: "/data/hedwig/conf/twemproxy/22121.yml",
      pidFile: "/data/hedwig/run/twemproxy/22121.pid",
    });
    expect(instanceLayout("MEMCACHED", "1.6.18", 11211)).toMatchObject({
      binary: "/opt/hedwig/memcached/1.6.18/bin/memcached",
      dataDir: "/data/hedwig/data/memcached/11211",
      confFile: "/data/hedwig/conf/memcached/11211.args",
    });
  });

  it("takes other roots for hosts whose disks are mounted elsewhere", () => {
    const layout = instanceLayout("REDIS", "7.0.15", 6379, { root: "/mnt/ssd0/hedwig", installRoot: "/usr/local/hedwig" });
    expect(layout.dataDir).toBe("/mnt/ssd0/hedwig/data/redis/6379");
    expect(layout.confFile).toBe("/mnt/ssd0/hedwig/conf/redis/6379.conf");
    expect(layout.binary).toBe("/usr/local/hedwig/redis/7.0.15/bin/redis-server");
    expect(DEFAULT_LAYOUT).toEqual({ root: "/data/hedwig", installRoot: "/opt/hedwig" });
  });

  it.each([
    [
      () => instanceLayout("REDIS", "../../etc", 6379),
      "version \"../../etc\" cannot be part of an install path: use letters, digits, '.', '_' and '-', e.g. 7.0.15",
    ],
    [() => instanceLayout("REDIS", "7.0/15", 6379), 'version "7.0/15" cannot be part of an install path'],
    [() => instanceLayout("REDIS", "7..0", 6379), 'version "7..0" cannot be part of an install path'],
    [() => instanceLayout("REDIS", "7.0.15", 0), "port 0 is not valid: use 1–65535"],
    [() => instanceLayout("REDIS", "7.0.15", 70000), "port 70000 is not valid: use 1–65535"],
    [
      () => instanceLayout("REDIS", "7.0.15", 6379, { root: ".data/hosts/127.0.1.4", installRoot: "/opt/hedwig" }),
      'the root ".data/hosts/127.0.1.4" must be an absolute path',
    ],
    [() => instanceLayout("REDIS", "7.0.15", 6379, { root: "/data/hedwig", installRoot: "opt" }), 'the installRoot "opt" must be an absolute path'],
  ])("refuses what would leave the layout (%#)", (run, message) => {
    expect(run).toThrow(DomainError);
    expect(run).toThrow(message);
  });
});
