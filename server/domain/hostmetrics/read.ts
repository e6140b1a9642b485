import fs from "node:fs/promises";
import path from "node:path";
import type { Executor } from "../executors/executor";
import { LocalExecutor } from "../executors/local-executor";
import { fsFigures, parseStatFs, splitSections, type FsFigures, type HostReading } from "./parse";
import { text } from "../../../lib/text";
import { precondition } from "../errors";

/**
 * One command for an SSH host: every file in one round trip over the session Hedwig keeps, with
 * statfs of the nearest existing ancestor of the data and log paths (a fresh host may not have them yet).
 */
const SCRIPT = [
  'fsof() { p=$1; while [ ! -e "$p" ]; do p=$(dirname -- "$p"); done; stat -f -c "%S %b %a" -- "$p"; }',
  "echo @@stat@@; cat /proc/stat",
  "echo @@meminfo@@; cat /proc/meminfo",
  "echo @@loadavg@@; cat /proc/loadavg",
  "echo @@netdev@@; cat /proc/net/dev",
  "echo @@kernel@@; cat /proc/sys/kernel/osrelease",
  "echo @@os@@; cat /etc/os-release 2>/dev/null",
  "echo @@cpuinfo@@; grep -m1 '^model name' /proc/cpuinfo",
  "echo @@product@@; cat /sys/class/dmi/id/product_name 2>/dev/null",
  'echo @@datafs@@; fsof "$1"',
  'echo @@logfs@@; fsof "$2"',
  "exit 0",
].join("\n");

const READ_TIMEOUT_MS = 10_000;

export async function readOverExecutor(exec: Executor, dataPath: string, logPath: string): Promise<HostReading> {
  const r = await exec.run(["sh", "-c", SCRIPT, "hedwig-metrics", exec.resolve(dataPath), exec.resolve(logPath)], { timeoutMs: READ_TIMEOUT_MS });
  const s = splitSections(r.stdout);
  if (!s.stat) throw precondition(text("jobErrors.hostMetrics.noStat", { code: String(r.code), stderr: r.stderr.trim().slice(0, 200) }));
  return {
    stat: s.stat,
    meminfo: s.meminfo ?? "",
    loadavg: s.loadavg ?? "",
    netdev: s.netdev ?? "",
    kernel: s.kernel ?? "",
    osRelease: s.os ?? "",
    cpuinfo: s.cpuinfo ?? "",
    productModel: s.product ?? "",
    dataFs: parseStatFs(s.datafs ?? ""),
    logFs: parseStatFs(s.logfs ?? ""),
  };
}

const readText = (file: string) => fs.readFile(file, "utf8").catch(() => "");

async function statfsNearest(file: string): Promise<FsFigures | null> {
  for (let p = file; ; p = path.dirname(p)) {
    try {
      const s = await fs.statfs(p);
      return fsFigures(s.bsize, s.blocks, s.bavail);
    } catch {
      if (p === path.dirname(p)) return null;
    }
  }
}

/** A local (demo) host is this machine: its files are read in-process, no command is spawned. */
export async function readLocal(exec: LocalExecutor, dataPath: string, logPath: string): Promise<HostReading> {
  const [stat, meminfo, loadavg, netdev, kernel, osRelease, cpuinfo, productModel, dataFs, logFs] = await Promise.all([
    readText("/proc/stat"),
    readText("/proc/meminfo"),
    readText("/proc/loadavg"),
    readText("/proc/net/dev"),
    readText("/proc/sys/kernel/osrelease"),
    readText("/etc/os-release"),
    readText("/proc/cpuinfo"),
    readText("/sys/class/dmi/id/product_name"),
    statfsNearest(exec.resolve(dataPath)),
    statfsNearest(exec.resolve(logPath)),
  ]);
  return { stat, meminfo, loadavg, netdev, kernel, osRelease, cpuinfo, productModel, dataFs, logFs };
}

export function readHost(exec: Executor, dataPath: string, logPath: string): Promise<HostReading> {
  return exec instanceof LocalExecutor ? readLocal(exec, dataPath, logPath) : readOverExecutor(exec, dataPath, logPath);
}
