import path from "node:path";
import type { DbTx } from "../../../db/client";
import { sshExecutorFor } from "../../inventory/credentials";
import type { Executor } from "../../executors/executor";
import { LocalExecutor } from "../../executors/local-executor";

/** Where the demo hosts keep their files; the launcher sets it, tests use a directory of their own. */
export const dataDir = () => path.resolve(process.env.HEDWIG_DATA_DIR ?? ".data");

/**
 * The executor for a host. Demo hosts (LOCAL) are loopback addresses of this machine, each with a
 * root directory of its own under the data directory; SSH hosts log in with their stored credential.
 */
export async function executorFor(db: DbTx, host: { id: number; ip: string; executor: "LOCAL" | "SSH" }, dataDir: string): Promise<Executor> {
  if (host.executor === "LOCAL") return new LocalExecutor({ ip: host.ip, root: path.join(dataDir, "hosts", host.ip) });
  return sshExecutorFor(db, host);
}
