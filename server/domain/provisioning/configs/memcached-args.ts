import { text } from "../../../../lib/text";
import { badInput } from "../../errors";
import { checkIpv4, checkPort } from "./network";

export interface MemcachedArgsInput {
  bind: string;
  port: number;
  memoryMb: number;
  maxConnections: number;
  threads: number;
  /** memcached refuses to run as root without -u; null when the executor is not root */
  user: string | null;
}

/**
 * Memcached has no config file: these arguments are its config, kept one per line in the layout's
 * confFile. The executor runs it in the foreground, so its log is its stderr.
 */
export function renderMemcachedArgs(c: MemcachedArgsInput): string[] {
  checkIpv4(c.bind, "listen address");
  checkPort(c.port, "port");
  for (const [name, value] of Object.entries({ memoryMb: c.memoryMb, maxConnections: c.maxConnections, threads: c.threads })) {
    if (!Number.isInteger(value) || value < 1) throw badInput(text("refusals.configs.memcachedArg", { name, value }));
  }
  if (c.user !== null && !/^[a-z_][a-z0-9_-]{0,31}$/.test(c.user)) throw badInput(text("refusals.configs.memcachedUser", { user: c.user }));
  return [
    ...(c.user === null ? [] : ["-u", c.user]),
    "-l",
    c.bind,
    "-p",
    String(c.port),
    // UDP off: it is how memcached servers get used for reflection attacks, and no client here needs it.
    "-U",
    "0",
    "-m",
    String(c.memoryMb),
    "-c",
    String(c.maxConnections),
    "-t",
    String(c.threads),
  ];
}
