import path from "node:path";
import type { Software } from "../../../../generated/prisma/enums";
import type { Executor } from "../../executors/executor";
import type { InstanceLayout } from "../layout";

// Twemproxy's stats port sits 1,000 above its listen port: outside every software's port range.
export const STATS_PORT_OFFSET = 1000;

/** An instance as the deployment standard places it: enough to find its files and start it. */
export type Installed = { software: Software; ip: string; port: number; layout: InstanceLayout };

/** Twemproxy's arguments; -i 1000: stats every second, so health checks see ejections within a poll. */
export const twemproxyArgs = (confPath: string, ip: string, port: number) => ["-c", confPath, "-s", String(port + STATS_PORT_OFFSET), "-a", ip, "-i", "1000"];

/**
 * The argv that starts an instance the way provisioning started it, from the files provisioning
 * laid out, so a later start runs exactly what was deployed (and what the config says now).
 */
export async function startCommand(exec: Executor, i: Installed): Promise<string[]> {
  const binary = exec.resolve(i.layout.binary);
  const conf = exec.resolve(i.layout.confFile);
  switch (i.software) {
    case "REDIS":
    case "REDIS_SENTINEL":
      return [binary, conf];
    case "MEMCACHED":
      // Memcached has no config file: its arguments file holds them, one per line.
      return [binary, ...(await exec.readFile(i.layout.confFile)).split("\n").filter(Boolean)];
    case "TWEMPROXY":
      return [binary, ...twemproxyArgs(conf, i.ip, i.port)];
  }
}

/** The demo hosts share this machine's binaries: the versioned install path links to them. */
export async function linkDemoBinary(exec: Executor, software: Software, layout: InstanceLayout): Promise<void> {
  if (!exec.describe().startsWith("local")) return;
  await exec.mkdirp(path.posix.dirname(layout.binary));
  await exec.run(["ln", "-sfn", `/usr/${software === "TWEMPROXY" ? "sbin" : "bin"}/${path.posix.basename(layout.binary)}`, exec.resolve(layout.binary)]);
}
