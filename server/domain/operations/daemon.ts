import { text } from "../../../lib/text";
import { precondition } from "../errors";
import type { DbTx } from "../../db/client";
import type { JobLogger } from "../../jobs/steps";
import { startCommand } from "../provisioning/deploy/commands";
import { withRedis } from "../provisioning/deploy/probes";
import { rejoinSentinelsMaster } from "../healing/rejoin";
import type { Target } from "./target";

/** Starts the instance from its deployed files (a running one is left as it is) and marks it RUNNING. */
export async function startTarget(db: DbTx, log: JobLogger, t: Target): Promise<void> {
  await rejoinSentinelsMaster(db, log, t);
  const argv = await startCommand(t.exec, t);
  const pid = await t.exec.startDaemon(t.label, argv, { pidFile: t.layout.pidFile, logFile: t.layout.logFile });
  if (!(await t.exec.isListening(t.ip, t.port, 10_000))) {
    const tail = await t.exec.readFile(t.layout.logFile).catch(() => "");
    throw new Error(`${t.label} (pid ${pid}) is not listening after 10 s: ${tail.trim().split("\n").slice(-3).join(" | ")}`);
  }
  // Redis and Sentinel may listen before they load their data: a PING says they answer.
  const said = t.software === "REDIS" || t.software === "REDIS_SENTINEL" ? await withRedis(t, (r) => r.ping()) : null;
  await db.instance.update({ where: { id: t.inst.id }, data: { state: "RUNNING" } });
  await log.info(said ? text("jobs.log.daemon.runsSaid", { label: t.label, pid, said }) : text("jobs.log.daemon.runs", { label: t.label, pid }));
}

/**
 * Whether the port stays open after its process is gone: a loaded machine may take a moment to close
 * a dead process's sockets, so the port gets a few seconds before it is called held by another process.
 */
async function stillListening(t: Target): Promise<boolean> {
  const deadline = Date.now() + 3_000;
  while (await t.exec.isListening(t.ip, t.port, 0)) {
    if (Date.now() >= deadline) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/**
 * Stops the instance through its pid file, checks its port is closed, and marks it STOPPED — unless
 * `keepDesired`: Hedwig undoing its own failed restart leaves what the DBA asked for (RUNNING) as it was.
 */
export async function stopTarget(db: DbTx, log: JobLogger, t: Target, opts: { keepDesired?: boolean } = {}): Promise<boolean> {
  const wasRunning = await t.exec.stopDaemon(t.layout.pidFile);
  if (await stillListening(t)) throw precondition(text("refusals.jobs.portHeld", { label: t.label }));
  if (!opts.keepDesired) await db.instance.update({ where: { id: t.inst.id }, data: { state: "STOPPED" } });
  await log.info(text(wasRunning ? "jobs.log.daemon.stopped" : "jobs.log.daemon.notRunning", { label: t.label }));
  return wasRunning;
}
