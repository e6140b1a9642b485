import { text } from "../../../../lib/text";
import { badInput } from "../../errors";
import { checkPassword } from "../../credentials/model";
import { checkIpv4, checkName, checkPort } from "./network";

export interface NutcrackerOptions {
  /**
   * ms a request may wait for its server. Without it one hung server stalls every proxy that routes
   * to it, and their memory fills with queued requests, until TCP gives up ~15 minutes later
   * (Vipshop's outage): always set.
   */
  timeoutMs: number;
  /** ms before an ejected server is tried again */
  serverRetryTimeoutMs: number;
  /** consecutive failures that eject a server (when the pool ejects at all) */
  serverFailureLimit: number;
}

export const DEFAULT_NUTCRACKER_OPTIONS: NutcrackerOptions = { timeoutMs: 400, serverRetryTimeoutMs: 30_000, serverFailureLimit: 3 };

export interface NutcrackerInput {
  /** the pool's name, the service name */
  pool: string;
  listen: { ip: string; port: number };
  /** Redis shards (their masters) or Memcached nodes */
  redis: boolean;
  /** in shard order; the name, not ip:port, places keys, so a shard moved to a new host keeps its keys */
  servers: { name: string; ip: string; port: number; weight: number }[];
  options?: NutcrackerOptions;
  /**
   * Redis pools: the application's password. Twemproxy asks clients for it (AUTH) and logs in to
   * every shard with it, as Redis's default user; Memcached pools have none (Twemproxy cannot pass
   * Memcached's SASL).
   */
  redisAuth?: string;
}

/**
 * nutcracker.yml of one Twemproxy pool. A Memcached pool ejects a failed node (its keys miss and
 * refill elsewhere); a Redis pool never does, because the keys would move to shards that do not
 * hold them: a failed Redis shard is failed over to its replica instead.
 */
export function renderNutcrackerYml(c: NutcrackerInput): string {
  checkName(c.pool, "pool name");
  checkIpv4(c.listen.ip, "listen address");
  checkPort(c.listen.port, "listen port");
  if (c.servers.length === 0) throw badInput(text("refusals.configs.poolServers", { pool: c.pool }));
  const o = c.options ?? DEFAULT_NUTCRACKER_OPTIONS;
  const seen = new Set<string>();
  const servers = c.servers.map((s) => {
    checkName(s.name, "server name");
    checkIpv4(s.ip, `address of server ${s.name}`);
    checkPort(s.port, `port of server ${s.name}`);
    if (!Number.isInteger(s.weight) || s.weight < 1) throw badInput(text("refusals.configs.weight", { weight: s.weight, server: s.name }));
    if (seen.has(s.name)) throw badInput(text("refusals.configs.serverTwice", { server: s.name, pool: c.pool }));
    seen.add(s.name);
    return `   - ${s.ip}:${s.port}:${s.weight} ${s.name}`;
  });
  const eject = !c.redis;
  if (c.redisAuth !== undefined && !c.redis) throw badInput(text("refusals.configs.memcachedAuth", { pool: c.pool }));
  return [
    `# Rendered by Hedwig. Change it through Hedwig: a redeploy overwrites edits.`,
    `${c.pool}:`,
    `  listen: ${c.listen.ip}:${c.listen.port}`,
    `  hash: fnv1a_64`,
    `  distribution: ketama`,
    `  timeout: ${o.timeoutMs}`,
    `  preconnect: true`,
    `  redis: ${c.redis}`,
    ...(c.redisAuth === undefined ? [] : [`  redis_auth: ${checkPassword(c.redisAuth, "the application password")}`]),
    `  auto_eject_hosts: ${eject}`,
    ...(eject ? [`  server_retry_timeout: ${o.serverRetryTimeoutMs}`, `  server_failure_limit: ${o.serverFailureLimit}`] : []),
    `  servers:`,
    ...servers,
    ``,
  ].join("\n");
}
