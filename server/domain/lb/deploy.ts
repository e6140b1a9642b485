import { text as say } from "../../../lib/text";
import path from "node:path";
import type { Executor } from "../executors/executor";
import { badInput } from "../errors";
import { LocalExecutor } from "../executors/local-executor";
import { dataDir } from "../provisioning/deploy/executors";
import { workerPid } from "./haproxy-runtime";
import type { RenderTarget } from "./model";
import type { RunLog } from "./run-log";

export type LbServerRow = { ip: string; executor: "LOCAL" | "SSH" };
export type PoolRow = { id: number; name: string; backend: "HAPROXY" | "LVS"; configPath: string; statsPort: number | null };

/** Where a pool's daemon keeps its run files on a load-balancer server (host paths). */
export function poolFiles(pool: { id: number | "*" }) {
  const run = `/run/hedwig-lb/${pool.id}`;
  return {
    socket: `${run}/admin.sock`,
    pidFile: `${run}/haproxy.pid`,
    logFile: `/var/log/hedwig-lb/${pool.id}/haproxy.log`,
    keepalivedPid: "/run/keepalived.pid",
  };
}

/** Load-balancer servers are not inventory hosts, so they have no stored SSH login: Libra drives local ones. */
export function serverExecutor(server: LbServerRow): Executor {
  if (server.executor === "LOCAL") return new LocalExecutor({ ip: server.ip, root: path.join(dataDir(), "hosts", server.ip) });
  throw badInput(say("refusals.libra.deploySsh", { ip: server.ip }));
}

/** The admin sockets of every pool on every load-balancer server, as a glob of this machine's paths (Libra's servers are local). */
export const localRuntimeSocketsGlob = () => path.join(dataDir(), "hosts", "*", poolFiles({ id: "*" }).socket);

/** The pool's admin socket on a server, as this machine's path (the runtime API listens there). */
export const runtimeSocket = (pool: { id: number }, server: LbServerRow) => serverExecutor(server).resolve(poolFiles(pool).socket);

export function renderTarget(pool: PoolRow, server: LbServerRow): RenderTarget {
  return { serverIp: server.ip, socketFile: runtimeSocket(pool, server) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * HAProxy in master-worker mode: the master keeps one pid for the daemon's whole life, a reload is
 * SIGUSR2 to it, and the new worker takes the listening sockets from the old one over the admin
 * socket (expose-fd listeners) while the old worker finishes its connections: no listener is ever
 * closed. A reload whose file the master rejects leaves the old worker serving; the new worker's
 * pid on the runtime API is how a reload is known to have taken.
 */
async function reloadHaproxy(pool: PoolRow, server: LbServerRow, exec: Executor, log: RunLog) {
  const files = poolFiles(pool);
  const api = runtimeSocket(pool, server);
  const master = await haproxyMaster(pool, exec);
  if (master === null) return startHaproxy(pool, server, exec, log);
  const before = await workerPid(api);
  const r = await exec.run(["kill", "-USR2", String(master)]);
  if (r.code !== 0) throw new Error(`${server.ip}: kill -USR2 ${master}: ${r.stderr.trim()}`);
  const took = await waitFor(async () => {
    const now = await workerPid(api);
    return now !== null && now !== before;
  }, 10_000);
  if (!took)
    throw new Error(`${server.ip}: HAProxy's master ${master} did not start a new worker within 10 s (the old one keeps serving); see ${files.logFile}`);
  await log.info(say("libraLog.deploy.haproxyReloaded", { ip: server.ip, master, before: before ?? "-", after: (await workerPid(api)) ?? "-" }));
}

/** The pid of the pool's HAProxy master on the server if it runs, else null. */
export async function haproxyMaster(pool: { id: number }, exec: Executor): Promise<number | null> {
  const master = await exec.readFile(poolFiles(pool).pidFile).then(
    (t) => Number(t.trim()),
    () => null,
  );
  return master && (await exec.run(["kill", "-0", String(master)])).code === 0 ? master : null;
}

/** Starts the pool's HAProxy from the file in place and waits for its runtime API (a first sync, or bringing a dead one back). */
export async function startHaproxy(pool: PoolRow, server: LbServerRow, exec: Executor, log: Pick<RunLog, "info">) {
  const files = poolFiles(pool);
  const api = runtimeSocket(pool, server);
  await exec.mkdirp(path.posix.dirname(files.socket));
  const pid = await exec.startDaemon(`haproxy pool ${pool.name}`, ["haproxy", "-W", "-db", "-f", exec.resolve(pool.configPath)], {
    pidFile: files.pidFile,
    logFile: files.logFile,
  });
  if (!(await waitFor(async () => (await workerPid(api)) !== null, 10_000)))
    throw new Error(`${server.ip}: HAProxy (master ${pid}) started but its runtime API on ${api} does not answer`);
  await log.info(say("libraLog.deploy.haproxyStarted", { ip: server.ip, pid }));
}

/** The pid of keepalived on the server if it runs, else null. */
export async function keepalivedPid(pool: { id: number }, exec: Executor): Promise<number | null> {
  const pid = await exec.readFile(poolFiles(pool).keepalivedPid).then(
    (t) => Number(t.trim()),
    () => null,
  );
  return pid && (await exec.run(["kill", "-0", String(pid)])).code === 0 ? pid : null;
}

/** Starts keepalived on the pool's file in the foreground of its own session (the executor detaches it and keeps its pid). */
export async function startKeepalived(pool: PoolRow, server: LbServerRow, exec: Executor, log: Pick<RunLog, "info">) {
  const files = poolFiles(pool);
  const run = path.posix.dirname(files.socket);
  await exec.mkdirp(run);
  const argv = [
    "keepalived",
    "-n",
    "-l",
    "-f",
    exec.resolve(pool.configPath),
    "-p",
    exec.resolve(files.keepalivedPid),
    "-r",
    exec.resolve(`${run}/vrrp.pid`),
    "-c",
    exec.resolve(`${run}/checkers.pid`),
  ];
  const pid = await exec.startDaemon(`keepalived pool ${pool.name}`, argv, {
    pidFile: files.keepalivedPid,
    logFile: `/var/log/hedwig-lb/${pool.id}/keepalived.log`,
  });
  await log.info(say("libraLog.deploy.keepalivedStarted", { ip: server.ip, pid }));
}

/** keepalived re-reads its file on SIGHUP. Where it does not run (no IPVS here) the file waits for its start. */
async function reloadKeepalived(pool: PoolRow, server: LbServerRow, exec: Executor, log: RunLog) {
  const r = await exec.run(["sh", "-c", `test -s ${poolFiles(pool).keepalivedPid} && kill -HUP "$(cat ${poolFiles(pool).keepalivedPid})"`]);
  if (r.code === 0) await log.info(say("libraLog.deploy.keepalivedReloaded", { ip: server.ip }));
  else await log.warn(say("libraLog.deploy.keepalivedNotRunning", { ip: server.ip, path: pool.configPath }));
}

/** Writes the validated file (atomically) and reloads the backend on one server. */
export async function pushAndReload(pool: PoolRow, server: LbServerRow, text: string, log: RunLog) {
  const exec = serverExecutor(server);
  try {
    const previous = await exec.readFile(pool.configPath).catch(() => null);
    await exec.writeFile(pool.configPath, text);
    await log.info(say("libraLog.deploy.wrote", { ip: server.ip, path: pool.configPath, bytes: text.length, via: exec.describe() }));
    try {
      if (pool.backend === "HAPROXY") await reloadHaproxy(pool, server, exec, log);
      else await reloadKeepalived(pool, server, exec, log);
    } catch (e) {
      // The daemon kept the old file's configuration: the file on disk says so again, or the next
      // start (a reboot, a crash) would load what was refused.
      if (previous !== null) {
        await exec.writeFile(pool.configPath, previous);
        await log.warn(say("libraLog.deploy.reloadFailed", { ip: server.ip, path: pool.configPath }));
      }
      throw e;
    }
  } finally {
    await exec.close();
  }
}

/** Stops a pool's HAProxy on a server (tests, pool removal). */
export async function stopHaproxy(pool: { id: number }, server: LbServerRow) {
  return serverExecutor(server).stopDaemon(poolFiles(pool).pidFile);
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(100);
  }
  return false;
}
