import crypto from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Client, type SFTPWrapper } from "ssh2";
import { confirmStarted, parsePid, runningDaemon, stopByPidFile, type ProcessControl } from "./daemon";
import {
  checkHostPath,
  checkRemovable,
  commandEnv,
  DEFAULT_RUN_TIMEOUT_MS,
  ExecutorError,
  runChecked,
  type Executor,
  type RunOptions,
  type RunResult,
  type StopOptions,
} from "./executor";
import type { SshCredential } from "./secrets";
import { shellCommand } from "./shell";
import { isListening } from "./tcp";

export interface SshTarget {
  ip: string;
  /** default 22 */
  port?: number;
  credential: SshCredential;
  /** the host key's "SHA256:…" fingerprint pinned on first use; empty until then */
  hostKeyFingerprint?: string | null;
}

export interface SshExecutorOptions {
  /** called once, before the first login, with the host key's fingerprint when none was pinned: store it with the credential */
  onHostKeyPinned?: (fingerprint: string) => void | Promise<void>;
  connectTimeoutMs?: number;
}

/** The fingerprint OpenSSH shows (`ssh-keygen -lf`): SHA-256 of the key blob, unpadded base64. */
export const sshFingerprint = (key: Buffer) => `SHA256:${crypto.createHash("sha256").update(key).digest("base64").replace(/=+$/, "")}`;

type Connection = { client: Client; sftp: Promise<SFTPWrapper> | null };

// SFTP status 2: the file does not exist
const NO_SUCH_FILE = 2;

/**
 * A production host over SSH (the ssh2 library, one connection reused for every call). Commands
 * go out as one shell-quoted line run by the login shell, which must be POSIX (sh, dash, bash);
 * files travel over SFTP. The host key is pinned on first use and a changed key is refused.
 */
export class SshExecutor implements Executor {
  readonly ip: string;
  private readonly port: number;
  private pinned: string | null;
  private connection: Promise<Connection> | null = null;

  constructor(
    private readonly target: SshTarget,
    private readonly opts: SshExecutorOptions = {},
  ) {
    this.ip = target.ip;
    this.port = target.port ?? 22;
    this.pinned = target.hostKeyFingerprint || null;
  }

  /** the pinned host key fingerprint, once known */
  get hostKeyFingerprint(): string | null {
    return this.pinned;
  }

  describe(): string {
    return `ssh ${this.target.credential.username}@${this.ip}:${this.port}`;
  }

  resolve(hostPath: string): string {
    return checkHostPath(this.describe(), hostPath);
  }

  async run(command: string[], opts: RunOptions = {}): Promise<RunResult> {
    const what = command.join(" ");
    if (command.length === 0) throw new ExecutorError(this.describe(), "", "an empty command");
    const timeoutMs = opts.timeoutMs ?? DEFAULT_RUN_TIMEOUT_MS;
    // env -i: the same minimal environment as a local command, whatever the login shell sets up.
    // timeout: sshd ignores signal requests for root logins, so the host itself enforces the limit
    // (on the command's whole process group, even if the connection drops).
    const env = Object.entries(commandEnv(this.describe(), opts.env)).map(([k, v]) => `${k}=${v}`);
    let line: string;
    try {
      line = shellCommand(["env", "-i", ...env, "timeout", "-s", "KILL", `${timeoutMs / 1000}s`, ...command]);
    } catch (e) {
      throw new ExecutorError(this.describe(), what, (e as Error).message);
    }
    const { client } = await this.connect();
    return new Promise((resolve, reject) => {
      client.exec(line, (err, stream) => {
        if (err) return reject(new ExecutorError(this.describe(), what, `cannot run: ${err.message}`));
        const started = Date.now();
        const out: Buffer[] = [];
        const errOut: Buffer[] = [];
        let code: number | null = null;
        let signal: string | undefined;
        let unanswered = false;
        // the host did not report an end well after the limit: the connection is gone
        const timer = setTimeout(() => {
          unanswered = true;
          stream.close();
        }, timeoutMs + 10_000);
        stream.on("data", (b: Buffer) => out.push(b));
        stream.stderr.on("data", (b: Buffer) => errOut.push(b));
        stream.on("exit", (c: number | null, s?: string) => {
          code = c;
          signal = s;
        });
        stream.on("close", () => {
          clearTimeout(timer);
          const result = { code: code ?? exitCodeOf(signal), stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(errOut).toString() };
          if (unanswered)
            reject(new ExecutorError(this.describe(), what, `no answer ${timeoutMs + 10_000} ms after the start; the connection may be down`, { result }));
          else if (result.code === 137 && Date.now() - started >= timeoutMs)
            reject(new ExecutorError(this.describe(), what, `killed after ${timeoutMs} ms`, { result }));
          else resolve(result);
        });
      });
    });
  }

  async writeFile(hostPath: string, content: string | Buffer, mode = 0o644): Promise<void> {
    const file = this.resolve(hostPath);
    await this.mkdirp(path.posix.dirname(file));
    // a daemon restarting mid-write must never read half a config: write aside, then rename over
    const tmp = `${file}.${crypto.randomBytes(4).toString("hex")}.tmp`;
    await this.sftpOp(`write ${file}`, async (sftp) => {
      try {
        await callback<void>((cb) => sftp.writeFile(tmp, content, { mode }, cb));
        await callback<void>((cb) => sftp.chmod(tmp, mode, cb)); // the remote umask may have narrowed it
        await callback<void>((cb) => sftp.ext_openssh_rename(tmp, file, cb));
      } catch (e) {
        await callback<void>((cb) => sftp.unlink(tmp, cb)).catch(() => {});
        throw e;
      }
    });
  }

  readFile(hostPath: string): Promise<string> {
    const file = this.resolve(hostPath);
    return this.sftpOp(`read ${file}`, (sftp) => callback<Buffer>((cb) => sftp.readFile(file, cb)).then((b) => b.toString("utf8")));
  }

  download(hostPath: string, localFile: string): Promise<number> {
    const file = this.resolve(hostPath);
    // fastGet reads with parallel requests: an RDB of gigabytes would crawl one request at a time
    return this.sftpOp(`download ${file}`, async (sftp) => {
      await callback<void>((cb) => sftp.fastGet(file, localFile, { concurrency: 32, chunkSize: 256 * 1024 }, (e) => cb(e, undefined)));
      return (await fs.stat(localFile)).size;
    });
  }

  async mkdirp(hostPath: string): Promise<void> {
    await runChecked(this, ["mkdir", "-p", "--", this.resolve(hostPath)]);
  }

  async remove(hostPath: string): Promise<void> {
    await runChecked(this, ["rm", "-rf", "--", checkRemovable(this.describe(), hostPath)]);
  }

  async startDaemon(name: string, argv: string[], files: { pidFile: string; logFile: string }): Promise<number> {
    const running = await runningDaemon(this.control, files.pidFile);
    if (running !== null) return running;
    if (argv.length === 0) throw new ExecutorError(this.describe(), `start ${name}`, "an empty command");
    // setsid: a session of its own, so the daemon outlives this SSH session; arguments travel as
    // positional parameters, never pasted into the script
    const script = [
      "pf=$1 lf=$2; shift 2; cd / || exit 1",
      'mkdir -p -- "$(dirname -- "$pf")" "$(dirname -- "$lf")" || exit 1',
      'setsid "$@" </dev/null >>"$lf" 2>&1 &',
      'echo $! >"$pf" && echo $!',
    ].join("\n");
    const { stdout } = await runChecked(this, ["sh", "-c", script, "hedwig-start", this.resolve(files.pidFile), this.resolve(files.logFile), ...argv]);
    const pid = parsePid(this.describe(), files.pidFile, stdout);
    return confirmStarted(this.describe(), name, this.control, pid, files.logFile);
  }

  stopDaemon(pidFile: string, opts?: StopOptions): Promise<boolean> {
    return stopByPidFile(this.describe(), this.control, pidFile, opts);
  }

  /** checked from Hedwig, which is where monitoring and clients reach the instance from */
  isListening(ip: string, port: number, timeoutMs: number): Promise<boolean> {
    return isListening(ip, port, timeoutMs);
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = null;
    if (connection) (await connection.catch(() => null))?.client.end();
  }

  private readonly control: ProcessControl = {
    readPid: async (pidFile) => {
      const text = await this.readFile(pidFile).catch((e: ExecutorError) => {
        if ((e.cause as { code?: unknown } | undefined)?.code === NO_SUCH_FILE) return null;
        throw e;
      });
      return text === null ? null : parsePid(this.describe(), pidFile, text);
    },
    procStat: async (pid) => {
      const r = await this.run(["cat", `/proc/${pid}/stat`]);
      return r.code === 0 ? r.stdout : null;
    },
    signalGroup: async (pid, signal) => {
      const r = await this.run(["kill", "-s", signal.replace(/^SIG/, ""), "--", `-${pid}`]);
      if (r.code !== 0 && !/no such process/i.test(r.stderr)) {
        throw new ExecutorError(this.describe(), `kill -s ${signal} -- -${pid}`, `exited with code ${r.code}: ${r.stderr.trim()}`, { result: r });
      }
    },
    removeFile: (p) => this.remove(p),
    readLog: (p) => this.readFile(p),
  };

  private connect(): Promise<Connection> {
    if (!this.connection) {
      const connection = this.open();
      this.connection = connection;
      // a dropped connection is opened again on the next call (and a closed one never replaces its successor)
      const forget = () => {
        if (this.connection === connection) this.connection = null;
      };
      connection.then(({ client }) => client.on("error", forget).on("close", forget), forget);
    }
    return this.connection;
  }

  private open(): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const client = new Client();
      let refusal: ExecutorError | null = null;
      client.once("ready", () => {
        client.removeAllListeners("error");
        resolve({ client, sftp: null });
      });
      client.once("error", (e) => reject(refusal ?? new ExecutorError(this.describe(), "connect", e.message)));
      const c = this.target.credential;
      client.connect({
        host: this.ip,
        port: this.port,
        username: c.username,
        ...("privateKey" in c ? { privateKey: c.privateKey, passphrase: c.passphrase } : { password: c.password }),
        readyTimeout: this.opts.connectTimeoutMs ?? 15_000,
        keepaliveInterval: 15_000,
        hostVerifier: (key: Buffer, verify: (valid: boolean) => void) => {
          const offered = sshFingerprint(key);
          if (this.pinned === offered) return verify(true);
          if (this.pinned) {
            refusal = new ExecutorError(
              this.describe(),
              "connect",
              `the host key changed: pinned ${this.pinned}, offered ${offered}. If the host was reinstalled, clear its pinned key in Hedwig and connect again; otherwise someone may be intercepting the connection.`,
            );
            return verify(false);
          }
          Promise.resolve(this.opts.onHostKeyPinned?.(offered)).then(
            () => {
              this.pinned = offered;
              verify(true);
            },
            (e: Error) => {
              refusal = new ExecutorError(this.describe(), "connect", `could not pin the host key ${offered}: ${e.message}`);
              verify(false);
            },
          );
        },
      });
    });
  }

  private async sftpOp<T>(what: string, op: (sftp: SFTPWrapper) => Promise<T>): Promise<T> {
    const connection = await this.connect();
    if (!connection.sftp) {
      const opening = callback<SFTPWrapper>((cb) => connection.client.sftp(cb));
      connection.sftp = opening;
      opening.catch(() => {
        connection.sftp = null; // try again next time
      });
    }
    try {
      return await op(await connection.sftp);
    } catch (e) {
      if (e instanceof ExecutorError) throw e;
      throw new ExecutorError(this.describe(), what, (e as Error).message, { cause: e });
    }
  }
}

/** A shell's exit code for a command killed by a signal ("SIGKILL" → 137); 255, as ssh says, when the host reported nothing. */
const exitCodeOf = (signal: string | undefined) => (signal ? 128 + (os.constants.signals[signal as NodeJS.Signals] ?? 0) : 255);

function callback<T>(call: (cb: (err: Error | null | undefined, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => call((err, value) => (err ? reject(err) : resolve(value))));
}
