import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { confirmStarted, parsePid, runningDaemon, stopByPidFile, type ProcessControl } from "./daemon";
import {
  checkHostPath,
  checkRemovable,
  commandEnv,
  DEFAULT_RUN_TIMEOUT_MS,
  ExecutorError,
  type Executor,
  type RunOptions,
  type RunResult,
  type StopOptions,
} from "./executor";
import { isListening } from "./tcp";

const LOOPBACK = /^127(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

/**
 * A demo host on this machine: its address is a loopback address (127.0.1.x) that its instances
 * bind to, and its files live under a root directory of its own (e.g. .data/hosts/127.0.1.5), so
 * demo hosts share nothing but the binaries.
 */
export class LocalExecutor implements Executor {
  readonly ip: string;
  private readonly root: string;

  constructor(opts: { ip: string; root: string }) {
    if (!LOOPBACK.test(opts.ip)) throw new ExecutorError(`local ${opts.ip}`, "create executor", "a local executor serves loopback hosts (127.x.x.x) only");
    this.ip = opts.ip;
    this.root = path.resolve(opts.root);
  }

  describe(): string {
    return `local ${this.ip} (${this.root})`;
  }

  resolve(hostPath: string): string {
    return path.join(this.root, checkHostPath(this.describe(), hostPath));
  }

  run(command: string[], opts: RunOptions = {}): Promise<RunResult> {
    const [program, ...args] = command;
    if (!program) return Promise.reject(new ExecutorError(this.describe(), "", "an empty command"));
    const what = command.join(" ");
    const timeoutMs = opts.timeoutMs ?? DEFAULT_RUN_TIMEOUT_MS;
    const env = spawnEnv(commandEnv(this.describe(), opts.env));
    return new Promise((resolve, reject) => {
      // a process group of its own, so a timeout kills whatever the command started too
      const child = spawn(program, args, { cwd: "/", env, stdio: ["ignore", "pipe", "pipe"], detached: true });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on("data", (b: Buffer) => out.push(b));
      child.stderr.on("data", (b: Buffer) => err.push(b));
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        process.kill(-child.pid!, "SIGKILL");
      }, timeoutMs);
      child.once("error", (e) => {
        clearTimeout(timer);
        reject(new ExecutorError(this.describe(), what, `cannot run: ${e.message}`));
      });
      child.once("close", (code, signal) => {
        clearTimeout(timer);
        const result = {
          code: code ?? 128 + (signal ? os.constants.signals[signal as NodeJS.Signals] : 0),
          stdout: Buffer.concat(out).toString(),
          stderr: Buffer.concat(err).toString(),
        };
        if (timedOut) reject(new ExecutorError(this.describe(), what, `killed after ${timeoutMs} ms`, { result }));
        else resolve(result);
      });
    });
  }

  async writeFile(hostPath: string, content: string | Buffer, mode = 0o644): Promise<void> {
    const file = this.resolve(hostPath);
    // a daemon restarting mid-write must never read half a config: write aside, then rename
    const tmp = `${file}.${crypto.randomBytes(4).toString("hex")}.tmp`;
    await this.fsOp(`write ${hostPath}`, async () => {
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(tmp, content, { mode });
      await fs.chmod(tmp, mode); // the umask may have narrowed it
      await fs.rename(tmp, file);
    }).catch(async (e) => {
      await fs.rm(tmp, { force: true });
      throw e;
    });
  }

  readFile(hostPath: string): Promise<string> {
    return this.fsOp(`read ${hostPath}`, () => fs.readFile(this.resolve(hostPath), "utf8"));
  }

  download(hostPath: string, localFile: string): Promise<number> {
    return this.fsOp(`copy ${hostPath} to ${localFile}`, async () => {
      await fs.copyFile(this.resolve(hostPath), localFile);
      return (await fs.stat(localFile)).size;
    });
  }

  async mkdirp(hostPath: string): Promise<void> {
    await this.fsOp(`mkdir -p ${hostPath}`, () => fs.mkdir(this.resolve(hostPath), { recursive: true }));
  }

  async remove(hostPath: string): Promise<void> {
    const target = this.resolve(checkRemovable(this.describe(), hostPath));
    await this.fsOp(`rm -rf ${hostPath}`, () => fs.rm(target, { recursive: true, force: true }));
  }

  async startDaemon(name: string, argv: string[], files: { pidFile: string; logFile: string }): Promise<number> {
    const running = await runningDaemon(this.control, files.pidFile);
    if (running !== null) return running;
    const [program, ...args] = argv;
    if (!program) throw new ExecutorError(this.describe(), `start ${name}`, "an empty command");
    const logFile = this.resolve(files.logFile);
    await this.mkdirp(path.posix.dirname(files.logFile));
    const log = await fs.open(logFile, "a");
    try {
      // detached: a session and process group of its own, so stopping or restarting Hedwig leaves it running
      const child = spawn(program, args, { cwd: "/", env: spawnEnv(commandEnv(this.describe())), detached: true, stdio: ["ignore", log.fd, log.fd] });
      await new Promise<void>((resolve, reject) => {
        child.once("spawn", resolve);
        child.once("error", (e) => reject(new ExecutorError(this.describe(), `start ${name}: ${argv.join(" ")}`, `cannot run: ${e.message}`)));
      });
      child.unref();
      await this.writeFile(files.pidFile, `${child.pid}\n`);
      return await confirmStarted(this.describe(), name, this.control, child.pid!, files.logFile);
    } finally {
      await log.close();
    }
  }

  stopDaemon(pidFile: string, opts?: StopOptions): Promise<boolean> {
    return stopByPidFile(this.describe(), this.control, pidFile, opts);
  }

  isListening(ip: string, port: number, timeoutMs: number): Promise<boolean> {
    // the demo may reach loopback addresses only
    if (!LOOPBACK.test(ip)) return Promise.reject(new ExecutorError(this.describe(), `connect ${ip}:${port}`, "not a loopback address"));
    return isListening(ip, port, timeoutMs);
  }

  async close(): Promise<void> {}

  private readonly control: ProcessControl = {
    readPid: async (pidFile) => {
      const text = await fs.readFile(this.resolve(pidFile), "utf8").catch((e: NodeJS.ErrnoException) => {
        if (e.code === "ENOENT") return null;
        throw new ExecutorError(this.describe(), `read ${pidFile}`, e.message);
      });
      return text === null ? null : parsePid(this.describe(), pidFile, text);
    },
    procStat: (pid) => fs.readFile(`/proc/${pid}/stat`, "utf8").catch(() => null),
    signalGroup: async (pid, signal) => {
      try {
        process.kill(-pid, signal);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "ESRCH") throw new ExecutorError(this.describe(), `kill -${signal} -${pid}`, (e as Error).message);
      }
    },
    removeFile: (p) => this.remove(p),
    readLog: (p) => this.readFile(p),
  };

  private async fsOp<T>(what: string, op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (e) {
      throw e instanceof ExecutorError ? e : new ExecutorError(this.describe(), what, (e as Error).message);
    }
  }
}

// Next's types make NODE_ENV a required key of ProcessEnv; a command's environment has no reason to carry it.
const spawnEnv = (env: Record<string, string>) => env as NodeJS.ProcessEnv;
