import { text } from "../../../../lib/text";
import { badInput } from "../../errors";
import { aclLines, checkPassword, type ServiceSecrets } from "../../credentials/model";
import { checkIpv4, checkName, checkPort, oneLine } from "./network";

export interface SentinelTimings {
  /** a master that has not answered for this long is down (subjectively, then by quorum) */
  downAfterMs: number;
  /** how long a failover may take before another Sentinel retries it */
  failoverTimeoutMs: number;
  /** replicas that resync with a new master at once; the others keep serving meanwhile */
  parallelSyncs: number;
}

/**
 * 10 s rides out a slow fork or a network blip without a needless failover, yet fails over well
 * within a minute; one replica resyncs at a time so the rest still serve reads.
 */
export const DEFAULT_SENTINEL_TIMINGS: SentinelTimings = { downAfterMs: 10_000, failoverTimeoutMs: 60_000, parallelSyncs: 1 };

/**
 * Shards behind Twemproxy: every key of a dead shard fails at once through every proxy (nothing
 * ejects a Redis shard), so waiting 10 s costs a tenth of the keys 10 s of errors; 3 s still
 * rides out a blip on the loopback-fast links between a proxy host and its shards.
 */
export const TWEMPROXY_SENTINEL_TIMINGS: SentinelTimings = { downAfterMs: 3_000, failoverTimeoutMs: 20_000, parallelSyncs: 1 };

export interface SentinelConfInput {
  title: string;
  /** Sentinel has users (ACL) from 6.2; before, one requirepass */
  version: string;
  /** the service's users: Sentinel logs in to Redis and to its peers as SENTINEL; Hedwig as OPS, clients as APP */
  credentials: ServiceSecrets;
  bind: string;
  port: number;
  paths: { dataDir: string; logFile: string; pidFile: string };
  /** one per shard; the name is what clients ask the Sentinels for (the service name) */
  masters: { name: string; ip: string; port: number }[];
  quorum: number;
  timings?: SentinelTimings;
  /** run after every failover of each master (path as the host sees it); see follow-failover-sh.ts */
  clientReconfigScript?: string;
  /** as given to the Redis instances: Sentinel must call a renamed CONFIG by its new name */
  renamedCommands?: Readonly<Record<string, string>>;
}

/**
 * sentinel.conf. Sentinel rewrites this file itself (its id, the replicas and Sentinels it found,
 * the new master after a failover), so Hedwig writes it once, when it deploys the Sentinel.
 */
export function renderSentinelConf(c: SentinelConfInput): string {
  checkIpv4(c.bind, "bind address");
  checkPort(c.port, "port");
  if (c.masters.length === 0) throw badInput(text("refusals.configs.sentinelMasters"));
  if (!Number.isInteger(c.quorum) || c.quorum < 1) throw badInput(text("refusals.configs.quorum", { quorum: c.quorum }));
  const t = c.timings ?? DEFAULT_SENTINEL_TIMINGS;
  const [major = 0, minor = 0] = c.version.split(".").map((n) => Number.parseInt(n, 10));
  const acl = major > 6 || (major === 6 && minor >= 2);
  const sentinelPass = checkPassword(c.credentials.SENTINEL.passwords[0]!, "the Sentinel password");
  const authLines = acl
    ? [
        `# Users (ACL): Hedwig, the peer Sentinels, and the application (which may only discover the master).`,
        ...aclLines(c.credentials, "sentinel"),
        `sentinel sentinel-user ${c.credentials.SENTINEL.username}`,
        `sentinel sentinel-pass ${sentinelPass}`,
      ]
    : [
        `# Sentinel ${c.version} has no users: Hedwig's password guards it.`,
        `requirepass ${checkPassword(c.credentials.OPS.passwords[0]!, "the operations password")}`,
        `sentinel sentinel-pass ${c.credentials.OPS.passwords[0]}`,
      ];
  const lines = [
    `# ${oneLine(c.title)}`,
    `# Rendered by Hedwig at deploy; from then on Sentinel keeps this file up to date itself.`,
    ``,
    `bind ${c.bind}`,
    `port ${c.port}`,
    `protected-mode yes`,
    `daemonize no`,
    `pidfile ${c.paths.pidFile}`,
    `logfile ${c.paths.logFile}`,
    `dir ${c.paths.dataDir}`,
    // Sentinels find each other through the address they announce; unset, it is the address the
    // connection came from, which on hosts sharing a loopback network is 127.0.0.1 for all of them.
    `sentinel announce-ip ${c.bind}`,
    ``,
    ...authLines,
  ];
  // Redis refuses a master's other directives before its `sentinel monitor` line.
  for (const m of c.masters) {
    checkName(m.name, "master name");
    checkIpv4(m.ip, `address of master ${m.name}`);
    checkPort(m.port, `port of master ${m.name}`);
    lines.push(
      ``,
      `sentinel monitor ${m.name} ${m.ip} ${m.port} ${c.quorum}`,
      `sentinel down-after-milliseconds ${m.name} ${t.downAfterMs}`,
      `sentinel failover-timeout ${m.name} ${t.failoverTimeoutMs}`,
      `sentinel parallel-syncs ${m.name} ${t.parallelSyncs}`,
      // Before Redis 6 the Redis side knows only the application's password.
      ...(acl
        ? [`sentinel auth-user ${m.name} ${c.credentials.SENTINEL.username}`, `sentinel auth-pass ${m.name} ${sentinelPass}`]
        : [`sentinel auth-pass ${m.name} ${checkPassword(c.credentials.APP.passwords[0]!, "the application password")}`]),
    );
    if (c.clientReconfigScript) lines.push(`sentinel client-reconfig-script ${m.name} ${checkPath(c.clientReconfigScript)}`);
    // A disabled command ("") is one Sentinel never sends; only real new names matter to it.
    for (const [command, to] of Object.entries(c.renamedCommands ?? {})) {
      if (to === "") continue;
      checkName(command, "command");
      checkName(to, `new name of ${command}`);
      lines.push(`sentinel rename-command ${m.name} ${command} ${to}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/** A path goes into the config verbatim, unquoted. */
function checkPath(p: string): string {
  if (!/^\/[A-Za-z0-9._\/-]+$/.test(p)) throw badInput(text("refusals.configs.scriptPath", { path: p }));
  return p;
}
