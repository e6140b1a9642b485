import { text } from "../../../../lib/text";
import crypto from "node:crypto";
import { badInput } from "../../errors";
import type { Persistence } from "../request-schema";
import { aclLines, checkPassword, type ServiceSecrets } from "../../credentials/model";
import { checkIpv4, checkName, checkPort, oneLine } from "./network";

export interface RedisConfInput {
  /** e.g. "trade-cart-redis-01 shard 0 master": the header comment only */
  title: string;
  /** Redis 7 lines (latency tracking) are left out for older versions, which refuse them */
  version: string;
  bind: string;
  port: number;
  paths: { dataDir: string; logFile: string; pidFile: string };
  maxmemoryMb: number;
  persistence: Persistence;
  /** the master of a replica; null for a master */
  replicaOf: { ip: string; port: number } | null;
  /** command → new name, "" disables it; DEFAULT_RENAMED_COMMANDS unless given (legacyRenamedCommands before Redis 6) */
  renamedCommands?: Readonly<Record<string, string>>;
  /** the service's users (ACLs from Redis 6, the application's password as requirepass before) */
  credentials: ServiceSecrets;
}

/**
 * Commands guarded as the platform's usage rules ask: FLUSHALL / FLUSHDB wipe data, KEYS blocks the
 * server while it walks every key (clients use SCAN), DEBUG can crash or stall it. CONFIG stays:
 * Hedwig changes maxmemory through it and Sentinel rewrites configs after a failover; to guard it,
 * rename it here and give Sentinel the same name (renderSentinelConf's renamedCommands).
 */
export const DEFAULT_RENAMED_COMMANDS: Readonly<Record<string, string>> = { FLUSHALL: "", FLUSHDB: "", KEYS: "", DEBUG: "" };

/**
 * Before Redis 6 there are no users: one password (the application's) guards everything, so the
 * commands only Hedwig may run get names derived from Hedwig's own password, which the application
 * never learns; Sentinel is given the same names (renderSentinelConf's renamedCommands).
 */
export function legacyRenamedCommands(credentials: ServiceSecrets): Record<string, string> {
  const suffix = (command: string) => crypto.createHash("sha256").update(`${command}:${credentials.OPS.passwords[0]}`).digest("hex").slice(0, 16);
  const renamed: Record<string, string> = { ...DEFAULT_RENAMED_COMMANDS };
  for (const command of ["CONFIG", "SHUTDOWN", "SLAVEOF", "REPLICAOF", "MONITOR", "BGSAVE", "BGREWRITEAOF", "SAVE"])
    renamed[command] = `${command}-${suffix(command)}`;
  return renamed;
}

const majorOf = (version: string) => {
  const major = Number.parseInt(version, 10);
  if (!Number.isInteger(major)) throw badInput(text("refusals.configs.redisVersion", { version }));
  return major;
};

/** redis.conf of one instance, by the deployment standard. */
export function renderRedisConf(c: RedisConfInput): string {
  checkIpv4(c.bind, "bind address");
  checkPort(c.port, "port");
  if (!Number.isInteger(c.maxmemoryMb) || c.maxmemoryMb < 1) throw badInput(text("refusals.configs.maxmemory", { mb: c.maxmemoryMb }));
  const acl = majorOf(c.version) >= 6;
  const renamed = c.renamedCommands ?? (acl ? DEFAULT_RENAMED_COMMANDS : legacyRenamedCommands(c.credentials));
  const authLines = acl
    ? [
        `# Users (ACL): the application, Hedwig's operations, replication and Sentinel; passwords as SHA-256.`,
        ...aclLines(c.credentials, "redis"),
        `masteruser ${c.credentials.REPL.username}`,
        `masterauth ${checkPassword(c.credentials.REPL.passwords[0]!, "the replication password")}`,
      ]
    : [
        `# Redis ${c.version} has no users: one password, and the admin commands renamed below.`,
        `requirepass ${checkPassword(c.credentials.APP.passwords[0]!, "the application password")}`,
        `masterauth ${c.credentials.APP.passwords[0]}`,
      ];
  const lines = [
    `# ${oneLine(c.title)}`,
    `# Rendered by Hedwig for Redis ${c.version}. Change it through Hedwig: a redeploy overwrites edits.`,
    ``,
    `# Only the host's own address: on the demo's loopback hosts 127.0.0.1 is shared by all of them.`,
    `bind ${c.bind}`,
    `port ${c.port}`,
    `# Refuses clients from elsewhere should the default user ever be left without a password.`,
    `protected-mode yes`,
    `# As a replica, announce this address: the master would report the connection's source instead`,
    `# (127.0.0.1 on the demo's loopback hosts), and Sentinel could never promote it.`,
    `replica-announce-ip ${c.bind}`,
    `# Hedwig's executor supervises the process.`,
    `daemonize no`,
    `pidfile ${c.paths.pidFile}`,
    `logfile ${c.paths.logFile}`,
    `dir ${c.paths.dataDir}`,
    ``,
    `maxmemory ${c.maxmemoryMb}mb`,
    c.persistence === "none"
      ? `# A cache: when full, evict the least recently used keys.\nmaxmemory-policy allkeys-lru`
      : `# Persisted data: when full, refuse writes rather than drop keys.\nmaxmemory-policy noeviction`,
    ``,
    ...persistenceLines(c.persistence),
    ``,
    ...authLines,
    ``,
  ];
  if (c.replicaOf) {
    checkIpv4(c.replicaOf.ip, "master address");
    checkPort(c.replicaOf.port, "master port");
    lines.push(`replicaof ${c.replicaOf.ip} ${c.replicaOf.port}`, ``);
  }
  // Redis 7 waits 5 s by default before a diskless full sync, hoping more replicas join; a new
  // replica (and a deploy) should not wait for company that is not coming.
  lines.push(`repl-diskless-sync-delay 0`, ``);
  lines.push(`# Longer than the default 128 entries: the collectors read SLOWLOG between polls.`, `slowlog-max-len 1024`);
  if (majorOf(c.version) >= 7) lines.push(`# Per-command latency percentiles for INFO latencystats and LATENCY HISTOGRAM.`, `latency-tracking yes`);
  const entries = Object.entries(renamed);
  if (entries.length > 0) {
    lines.push(``);
    for (const [command, to] of entries) {
      checkName(command, "command");
      if (to !== "") checkName(to, `new name of ${command}`);
      lines.push(`rename-command ${command} ${to === "" ? '""' : to}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

function persistenceLines(persistence: Persistence): string[] {
  switch (persistence) {
    case "none":
      return [`save ""`, `appendonly no`];
    case "rdb":
      // Redis 7's defaults, one pair a line so Redis 6 reads them too.
      return [`save 3600 1`, `save 300 100`, `save 60 10000`, `appendonly no`];
    case "aof":
      // The AOF (with its RDB preamble) is the copy; a snapshot beside it would only fork once more.
      return [`save ""`, `appendonly yes`, `appendfsync everysec`];
  }
}
