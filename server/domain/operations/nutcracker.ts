import { DEFAULT_NUTCRACKER_OPTIONS, renderNutcrackerYml, type NutcrackerInput } from "../provisioning/configs/nutcracker-yml";
import type { Target } from "./target";
import { text as say } from "../../../lib/text";
import { precondition } from "../errors";

export type Pool = Omit<NutcrackerInput, "listen">;
/** A proxy's files and address, whether or not it is in the catalogue yet. */
export type ProxyFiles = Pick<Target, "exec" | "layout" | "ip" | "port" | "label">;

/**
 * The pool a running proxy serves, read back from the nutcracker.yml Hedwig rendered for it: the
 * deployed file, not the catalogue, is what that proxy's clients get.
 */
export async function readPool(t: ProxyFiles): Promise<Pool> {
  const text = await t.exec.readFile(t.layout.confFile);
  const pool = /^([A-Za-z0-9_.-]+):\s*$/m.exec(text)?.[1];
  const servers = [...text.matchAll(/^\s+-\s+([\d.]+):(\d+):(\d+)\s+(\S+)\s*$/gm)].map((m) => ({
    ip: m[1]!,
    port: Number(m[2]),
    weight: Number(m[3]),
    name: m[4]!,
  }));
  if (!pool || servers.length === 0) throw precondition(say("jobErrors.proxy.poolUnreadable", { label: t.label, file: t.layout.confFile }));
  // the password stays in the file it was read from: a rewritten pool keeps asking clients for it
  const redisAuth = /^\s+redis_auth:\s*(\S+)\s*$/m.exec(text)?.[1];
  // the service's own timeouts (a DBA's parameters) stay with the pool
  const num = (key: string, fallback: number) => Number(new RegExp(`^\\s+${key}:\\s*(\\d+)\\s*$`, "m").exec(text)?.[1] ?? fallback);
  const options = {
    timeoutMs: num("timeout", DEFAULT_NUTCRACKER_OPTIONS.timeoutMs),
    serverRetryTimeoutMs: num("server_retry_timeout", DEFAULT_NUTCRACKER_OPTIONS.serverRetryTimeoutMs),
    serverFailureLimit: num("server_failure_limit", DEFAULT_NUTCRACKER_OPTIONS.serverFailureLimit),
  };
  return { pool, redis: /^\s+redis:\s*true\s*$/m.test(text), servers, options, ...(redisAuth ? { redisAuth } : {}) };
}

/** Renders the pool for this proxy's own listen address. */
export const writePool = (t: ProxyFiles, pool: Pool) =>
  t.exec.writeFile(t.layout.confFile, renderNutcrackerYml({ ...pool, listen: { ip: t.ip, port: t.port } }));
