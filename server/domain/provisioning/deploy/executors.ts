import path from "node:path";
import { badInput } from "../../errors";
import type { Executor } from "../../executors/executor";
import { LocalExecutor } from "../../executors/local-executor";

/** Where the demo hosts keep their files; the launcher sets it, tests use a directory of their own. */
export const dataDir = () => path.resolve(process.env.HEDWIG_DATA_DIR ?? ".data");

/**
 * The executor for a host. Demo hosts (LOCAL) are loopback addresses of this machine, each with a
 * root directory of its own under the data directory. SSH hosts need stored credentials, which
 * Hedwig does not manage yet: such a host is refused with that reason rather than half-deployed.
 */
export function executorFor(host: { ip: string; executor: "LOCAL" | "SSH" }, dataDir: string): Executor {
  if (host.executor === "LOCAL") return new LocalExecutor({ ip: host.ip, root: path.join(dataDir, "hosts", host.ip) });
  throw badInput(`host ${host.ip} is reached over SSH, and Hedwig does not store SSH credentials yet; deploy to a LOCAL host or add the host's credentials first`);
}
