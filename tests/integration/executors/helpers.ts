import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach } from "vitest";
import type { Executor } from "../../../server/domain/executors/executor";

/** A port the kernel just handed out on ip, so parallel runs and other daemons do not collide. */
export function freePort(ip: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, ip, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A temporary directory removed after the file's tests. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `hedwig-${prefix}-`));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Stops, after each test and whatever its outcome, every daemon the test registered (by pid
 * file), so a failing assertion never leaves a redis-server behind.
 */
export function daemonCleanup(exec: () => Executor) {
  const pidFiles = new Set<string>();
  afterEach(async () => {
    for (const pidFile of pidFiles)
      await exec()
        .stopDaemon(pidFile, { timeoutMs: 2_000 })
        .catch(() => {});
    pidFiles.clear();
  });
  return (pidFile: string) => {
    pidFiles.add(pidFile);
    return pidFile;
  };
}

/** Whether a process exists at all (a zombie counts: it must have been reaped). */
export const processExists = (pid: number) => fs.existsSync(`/proc/${pid}`);

export function redisConf(exec: Executor, ip: string, port: number, dir: string): string {
  return [`bind ${ip}`, `port ${port}`, `dir ${exec.resolve(dir)}`, "daemonize no", 'save ""', "appendonly no", 'logfile ""', ""].join("\n");
}

/** One request over a raw TCP socket, read until the reply matches `until`. */
export function tcpRequest(ip: string, port: number, request: string, until: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: ip, port });
    let reply = "";
    socket.setTimeout(3_000, () => socket.destroy(new Error(`no complete reply from ${ip}:${port}: ${JSON.stringify(reply)}`)));
    socket.on("connect", () => socket.write(request));
    socket.on("data", (b) => {
      reply += b.toString();
      if (until.test(reply)) {
        socket.end();
        resolve(reply);
      }
    });
    socket.on("error", reject);
  });
}

/** Arguments a shell would mangle if quoting were wrong. */
export const NASTY = [
  "",
  " ",
  "a b",
  "  leading and trailing  ",
  "$(touch /tmp/hedwig-pwned)",
  "`touch /tmp/hedwig-pwned`",
  "${HOME}",
  "$HOME",
  "'",
  "''",
  "it's",
  '"',
  "\"quoted\" and 'quoted'",
  "\\",
  "\\'",
  "back\\slash\\n",
  "*",
  "?",
  "[a-z]",
  "~",
  "~root",
  "!",
  "!!",
  "#comment",
  "; rm -rf /tmp/hedwig-pwned",
  "&& echo no",
  "| cat",
  "> /tmp/hedwig-pwned",
  "< /etc/passwd",
  "a=b",
  "line one\nline two",
  "tab\there",
  "\r",
  "ünïcødé 猫头鹰 🦉",
  "%s %d",
  "--",
  "{a,b}",
];
