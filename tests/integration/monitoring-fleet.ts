import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { isListening } from "../../server/domain/executors/tcp";

/**
 * Real redis-server / memcached / nutcracker processes for the monitoring tests and benches,
 * started in the foreground as children of the test (so they die with it) and bound to the
 * caller's loopback addresses. The catalog rows are the test's business: the collector does not
 * care who started a process.
 */
export class ProcessFleet {
  private readonly procs = new Map<string, ChildProcess>();
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "hedwig-mon-"));

  private async launch(key: string, cmd: string, args: string[], ip: string, port: number) {
    const p = spawn(cmd, args, { stdio: "ignore", cwd: this.dir });
    this.procs.set(key, p);
    if (!(await isListening(ip, port, 5000))) throw new Error(`${cmd} did not come up on ${ip}:${port}`);
  }

  redis(ip: string, port: number, extra: string[] = []) {
    return this.launch(
      `${ip}:${port}`,
      "redis-server",
      ["--bind", ip, "--port", String(port), "--save", "", "--appendonly", "no", "--dir", this.dir, "--dbfilename", `${ip}-${port}.rdb`, ...extra],
      ip,
      port,
    );
  }

  memcached(ip: string, port: number, memoryMb = 16) {
    return this.launch(`${ip}:${port}`, "memcached", ["-l", ip, "-p", String(port), "-U", "0", "-m", String(memoryMb), "-u", "root"], ip, port);
  }

  /** Twemproxy on ip:port with its stats on statsPort, refreshed every second. */
  async nutcracker(ip: string, port: number, statsPort: number, yml: string) {
    const conf = path.join(this.dir, `nutcracker-${port}.yml`);
    fs.writeFileSync(conf, yml);
    await this.launch(`${ip}:${port}`, "nutcracker", ["-c", conf, "-s", String(statsPort), "-a", ip, "-i", "1000"], ip, port);
    if (!(await isListening(ip, statsPort, 5000))) throw new Error(`nutcracker stats did not come up on ${ip}:${statsPort}`);
  }

  /** Stops a process for good and waits until it is gone. */
  async stop(ip: string, port: number) {
    const p = this.procs.get(`${ip}:${port}`);
    if (!p || p.exitCode !== null) return;
    const exited = new Promise((r) => p.once("exit", r));
    p.kill("SIGKILL");
    await exited;
    this.procs.delete(`${ip}:${port}`);
  }

  get size() {
    return this.procs.size;
  }

  async stopAll() {
    await Promise.all([...this.procs.keys()].map((k) => this.stop(k.slice(0, k.lastIndexOf(":")), Number(k.slice(k.lastIndexOf(":") + 1)))));
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
