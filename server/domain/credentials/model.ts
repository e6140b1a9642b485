import { text } from "../../../lib/text";
import crypto from "node:crypto";
import { CredentialKind, type ServiceKind } from "../../../generated/prisma/enums";
import { badInput } from "../errors";

/** How Hedwig or a client logs in: a null username is Redis's `default` user (AUTH <password>, requirepass). */
export type RedisAuth = { username: string | null; password: string };

/** One user's login as the configs need it: the current password first, then one still accepted during a rotation. */
export type UserSecret = { username: string; passwords: string[] };

/** The four users of a Redis service (Memcached services have none: see memcachedHasNoAuth). */
export type ServiceSecrets = Record<CredentialKind, UserSecret>;

export const CREDENTIAL_KINDS: readonly CredentialKind[] = Object.values(CredentialKind);

/**
 * Twemproxy passes one password (`redis_auth`) and logs in to its shards with `AUTH <password>`, i.e.
 * as Redis's `default` user: behind it the application's user is `default`. Everywhere else the
 * default user is off and the application has a user of its own.
 */
export function usernameFor(kind: CredentialKind, serviceKind: ServiceKind): string {
  switch (kind) {
    case "APP":
      return serviceKind === "REDIS_TWEMPROXY" ? "default" : "app";
    case "OPS":
      return "hedwig-ops";
    case "REPL":
      return "hedwig-repl";
    case "SENTINEL":
      return "hedwig-sentinel";
  }
}

/** Memcached's only authentication is SASL on the binary protocol, which Twemproxy cannot pass. */
export const memcachedHasNoAuth = (serviceKind: ServiceKind) => serviceKind === "MEMCACHED" || serviceKind === "MEMCACHED_TWEMPROXY";

/** 32 random bytes as base64url: 43 characters that need no quoting in redis.conf, sentinel.conf, YAML or a shell. */
export const generatePassword = () => crypto.randomBytes(32).toString("base64url");

/** Fresh users for a new Redis service. */
export function generateServiceSecrets(serviceKind: ServiceKind): ServiceSecrets {
  const one = (kind: CredentialKind): UserSecret => ({ username: usernameFor(kind, serviceKind), passwords: [generatePassword()] });
  return { APP: one("APP"), OPS: one("OPS"), REPL: one("REPL"), SENTINEL: one("SENTINEL") };
}

export const authOf = (s: UserSecret): RedisAuth => ({ username: s.username === "default" ? null : s.username, password: s.passwords[0]! });

/** A password goes into config files verbatim (redis.conf, nutcracker.yml, a shell variable): only these characters. */
export function checkPassword(password: string, what: string): string {
  if (!/^[A-Za-z0-9_-]{16,128}$/.test(password)) throw badInput(text("refusals.configs.password", { what }));
  return password;
}

/**
 * ACL rules per user, for Redis ≥ 6. The application may do anything with data but nothing
 * administrative (CONFIG, SHUTDOWN, REPLICAOF, DEBUG, FLUSHALL, KEYS, MONITOR …); INFO and ROLE
 * stay because client libraries' ready checks and Sentinel-aware clients send them. Replicas only
 * sync; the Sentinel user has the commands Sentinel's documentation lists; Hedwig's own user runs
 * the collector, operations, failovers and migrations, so it has them all.
 */
const REDIS_RULES: Record<CredentialKind, string> = {
  APP: "~* &* +@all -@admin -@dangerous +info +role",
  OPS: "~* &* +@all",
  REPL: "+psync +replconf +ping",
  SENTINEL: "&* +multi +slaveof +replicaof +ping +exec +subscribe +config|rewrite +role +publish +info +client|setname +client|kill +script|kill",
};

/**
 * On a Sentinel: Hedwig and the peer Sentinels may do everything; the application only discovers
 * the master (and listens for +switch-master).
 */
const SENTINEL_RULES: Record<CredentialKind, string | null> = {
  APP: "&* +ping +hello +auth +role +client|setname +subscribe +psubscribe +unsubscribe +punsubscribe +sentinel|get-master-addr-by-name +sentinel|master +sentinel|masters +sentinel|replicas +sentinel|slaves +sentinel|sentinels",
  OPS: "~* &* +@all",
  REPL: null,
  SENTINEL: "~* &* +@all",
};

const sha256 = (password: string) => crypto.createHash("sha256").update(password).digest("hex");

/**
 * `user` lines: passwords as SHA-256 (`#…`), so the config file does not hold them in clear; every
 * listed password is accepted (a rotation adds the new one beside the old). The default user is off
 * unless it is the application's (behind Twemproxy).
 */
export function aclLines(secrets: ServiceSecrets, on: "redis" | "sentinel"): string[] {
  const rules = on === "redis" ? REDIS_RULES : SENTINEL_RULES;
  const lines: string[] = [];
  if (secrets.APP.username !== "default") lines.push("user default reset off");
  for (const kind of CREDENTIAL_KINDS) {
    const rule = rules[kind];
    if (rule === null) continue;
    const s = secrets[kind];
    if (!/^[a-z][a-z0-9-]{0,31}$/.test(s.username)) throw badInput(text("refusals.configs.userName", { user: s.username }));
    if (s.passwords.length === 0) throw badInput(text("refusals.configs.userPassword", { user: s.username }));
    const hashes = s.passwords.map((p, i) => `#${sha256(checkPassword(p, `password ${i + 1} of ${s.username}`))}`);
    lines.push(`user ${s.username} reset on ${hashes.join(" ")} ${rule}`);
  }
  return lines;
}
