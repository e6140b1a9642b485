import { ExecutorError, tail, type StopOptions } from "./executor";

/**
 * Daemon bookkeeping shared by both executors, over the few process primitives each provides
 * natively (this machine's /proc and signals, or the same through SSH).
 */
export interface ProcessControl {
  /** the pid in a pid file, or null when there is no such file */
  readPid(pidFile: string): Promise<number | null>;
  /** the text of /proc/<pid>/stat, or null when there is no such process */
  procStat(pid: number): Promise<string | null>;
  /** signals the process group led by pid; a group already gone is not an error */
  signalGroup(pid: number, signal: NodeJS.Signals): Promise<void>;
  removeFile(path: string): Promise<void>;
  readLog(path: string): Promise<string>;
}

/**
 * A daemon is the leader of its own process group (it was started in a new session). Checking
 * that, and not only that the pid exists, keeps a stale pid file from naming a reused pid; and a
 * zombie counts as gone, since no init may be reaping orphans in a container.
 */
export async function isDaemonAlive(ctl: ProcessControl, pid: number): Promise<boolean> {
  const stat = await ctl.procStat(pid);
  if (stat === null) return false;
  // "pid (comm) state ppid pgrp …" — comm may hold spaces and parentheses, so split after the last ")"
  const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return state !== "Z" && Number(pgrp) === pid;
}

/** The pid in the pid file if that daemon still runs, so a retried start does not start a second one. */
export async function runningDaemon(ctl: ProcessControl, pidFile: string): Promise<number | null> {
  const pid = await ctl.readPid(pidFile);
  return pid !== null && (await isDaemonAlive(ctl, pid)) ? pid : null;
}

/** A daemon that dies at once (bad config, port taken) fails its start, with its log's tail. */
export async function confirmStarted(host: string, name: string, ctl: ProcessControl, pid: number, logFile: string): Promise<number> {
  await sleep(200);
  if (await isDaemonAlive(ctl, pid)) return pid;
  const log = await ctl.readLog(logFile).catch(() => "");
  throw new ExecutorError(host, `start ${name}`, `exited at once; the end of ${logFile}:\n${tail(log)}`);
}

export async function stopByPidFile(host: string, ctl: ProcessControl, pidFile: string, opts: StopOptions = {}): Promise<boolean> {
  const pid = await ctl.readPid(pidFile);
  const running = pid !== null && (await isDaemonAlive(ctl, pid));
  if (running) {
    await ctl.signalGroup(pid, opts.signal ?? "SIGTERM");
    if (!(await waitGone(ctl, pid, opts.timeoutMs ?? 10_000))) {
      await ctl.signalGroup(pid, "SIGKILL");
      if (!(await waitGone(ctl, pid, 5_000))) throw new ExecutorError(host, `stop ${pidFile}`, `process ${pid} survived SIGKILL`);
    }
  }
  if (pid !== null) await ctl.removeFile(pidFile);
  return running;
}

async function waitGone(ctl: ProcessControl, pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (await isDaemonAlive(ctl, pid)) {
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
  return true;
}

/** Pid files hold the pid alone, as daemons write their own. */
export function parsePid(host: string, pidFile: string, text: string): number {
  const pid = Number(text.trim());
  if (!Number.isInteger(pid) || pid <= 1) throw new ExecutorError(host, `read ${pidFile}`, `holds no pid: ${JSON.stringify(text.slice(0, 40))}`);
  return pid;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
