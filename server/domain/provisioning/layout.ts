import { text } from "../../../lib/text";
import path from "node:path";
import type { Software } from "../../../generated/prisma/enums";
import { badInput } from "../errors";

/**
 * The deployment standard (服务部署标准): where an instance's binary, data, config, log and pid file
 * live, from (software, version, port) alone, so people and programs find them without asking.
 * - The version is in the install path, so several versions live side by side on a host and one
 *   instance can be upgraded at a time.
 * - Data, config and logs have one directory each under a root (Vipshop's choice, against keeping
 *   them all in the data directory), and the port names the instance inside it; a master and its
 *   replicas share a port, so their paths match on every host.
 * These are host paths (POSIX: hosts are Linux). The local demo executor maps them under its host's
 * own directory (.data/hosts/<ip>/…), so a path written into a config or an argv goes through the
 * executor's resolve() first; the roots stay configurable for hosts that mount their disks elsewhere.
 */

export interface LayoutOptions {
  /** holds data/, conf/, log/ and run/: the data disk */
  root: string;
  /** holds <package>/<version>/bin */
  installRoot: string;
}

export const DEFAULT_LAYOUT: LayoutOptions = { root: "/data/hedwig", installRoot: "/opt/hedwig" };

export interface InstanceLayout {
  installDir: string;
  binary: string;
  /** Redis's `dir`; the working directory of the other daemons */
  dataDir: string;
  /** redis.conf, sentinel.conf, nutcracker.yml, or Memcached's arguments one per line */
  confFile: string;
  logFile: string;
  pidFile: string;
  /** to create before the first start */
  dirs: string[];
}

interface SoftwareFiles {
  /** the installed package: Sentinel is redis-server in sentinel mode, so it comes with Redis */
  pkg: string;
  binary: string;
  /** names the software's directory under data/, conf/, log/ and run/ */
  dir: string;
  confExt: string;
}

const FILES: Record<Software, SoftwareFiles> = {
  REDIS: { pkg: "redis", binary: "redis-server", dir: "redis", confExt: "conf" },
  REDIS_SENTINEL: { pkg: "redis", binary: "redis-sentinel", dir: "sentinel", confExt: "conf" },
  MEMCACHED: { pkg: "memcached", binary: "memcached", dir: "memcached", confExt: "args" },
  TWEMPROXY: { pkg: "twemproxy", binary: "nutcracker", dir: "twemproxy", confExt: "yml" },
};

const VERSION = /^[0-9A-Za-z][0-9A-Za-z._-]{0,31}$/;
const p = path.posix;

export function instanceLayout(software: Software, version: string, port: number, options: LayoutOptions = DEFAULT_LAYOUT): InstanceLayout {
  // The version becomes a path segment: ".." or "/" would leave the install root.
  if (!VERSION.test(version) || version.includes("..")) {
    throw badInput(text("refusals.layout.version", { version }));
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw badInput(text("refusals.layout.port", { port }));
  for (const [name, dir] of Object.entries(options)) {
    if (!p.isAbsolute(dir)) throw badInput(text("refusals.layout.absolute", { name, dir }));
  }
  const f = FILES[software];
  const root = options.root;
  const installDir = p.join(options.installRoot, f.pkg, version);
  const layout = {
    installDir,
    binary: p.join(installDir, "bin", f.binary),
    dataDir: p.join(root, "data", f.dir, String(port)),
    confFile: p.join(root, "conf", f.dir, `${port}.${f.confExt}`),
    logFile: p.join(root, "log", f.dir, `${port}.log`),
    pidFile: p.join(root, "run", f.dir, `${port}.pid`),
  };
  const dirs = [layout.dataDir, p.dirname(layout.confFile), p.dirname(layout.logFile), p.dirname(layout.pidFile)];
  return { ...layout, dirs };
}
