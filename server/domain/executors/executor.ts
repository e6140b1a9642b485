import path from "node:path";

/**
 * How provisioning reaches a host. Two implementations: SSH for production hosts, local for the
 * embedded demo, whose hosts are loopback addresses (127.0.1.x) of this machine.
 *
 * Paths given to the file methods and to startDaemon/stopDaemon are *host paths*: absolute, no
 * `..`. A local executor maps them under its host's root directory; put a path into an argv or a
 * config file through `resolve()` so both executors give the daemon the right one.
 */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** killed after this long (default 60 s) */
  timeoutMs?: number;
  /** added to a minimal environment; Hedwig's own environment (database URL, secrets) is never passed on */
  env?: Record<string, string>;
}

export interface StopOptions {
  /** the first signal (default SIGTERM); SIGKILL follows after timeoutMs */
  signal?: NodeJS.Signals;
  timeoutMs?: number;
}

export interface Executor {
  /** the host's address, which its instances bind to */
  readonly ip: string;
  /** e.g. "local 127.0.1.5 (.data/hosts/127.0.1.5)" or "ssh deploy@10.2.3.4:22", for logs */
  describe(): string;
  /** the path the host's processes see for a host path */
  resolve(hostPath: string): string;
  /** runs argv without a shell (SSH quotes every word); a non-zero exit is returned, not thrown */
  run(command: string[], opts?: RunOptions): Promise<RunResult>;
  /** atomic (temporary file + rename); creates missing parent directories */
  writeFile(hostPath: string, content: string | Buffer, mode?: number): Promise<void>;
  readFile(hostPath: string): Promise<string>;
  /** copies a (large, binary) file off the host to a path on Hedwig's side, streaming; the bytes copied */
  download(hostPath: string, localFile: string): Promise<number>;
  mkdirp(hostPath: string): Promise<void>;
  /** recursive; a missing path is fine */
  remove(hostPath: string): Promise<void>;
  /**
   * Starts argv detached in its own session (it outlives Hedwig), stdout and stderr appended to
   * logFile, its pid written to pidFile. Throws, with the log's tail, if it exits at once.
   */
  startDaemon(name: string, argv: string[], files: { pidFile: string; logFile: string }): Promise<number>;
  /** Signals the daemon's process group and waits for it to go; false if it was not running. */
  stopDaemon(pidFile: string, opts?: StopOptions): Promise<boolean>;
  /** whether ip:port accepts a TCP connection from Hedwig, trying until timeoutMs has passed */
  isListening(ip: string, port: number, timeoutMs: number): Promise<boolean>;
  /** releases the connection (SSH); the executor reconnects on next use */
  close(): Promise<void>;
}

/** A failure on a host, naming the host and the command so a job log says what went wrong where. */
export class ExecutorError extends Error {
  /** the command's outcome, when it ran */
  readonly result?: RunResult;

  constructor(
    readonly host: string,
    readonly command: string,
    problem: string,
    extra: { result?: RunResult; cause?: unknown } = {},
  ) {
    super(`${host}: ${command}: ${problem}`, { cause: extra.cause });
    this.result = extra.result;
    this.name = "ExecutorError";
  }
}

/** run() that throws on a non-zero exit, with the exit code and the end of stderr. */
export async function runChecked(exec: Executor, command: string[], opts?: RunOptions): Promise<RunResult> {
  const result = await exec.run(command, opts);
  if (result.code !== 0) {
    throw new ExecutorError(exec.describe(), command.join(" "), `exited with code ${result.code}: ${tail(result.stderr || result.stdout)}`, { result });
  }
  return result;
}

/** The last lines of a log or an output, for error messages. */
export function tail(text: string, lines = 10): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

/** Host paths are absolute and never climb: a `..` could leave a demo host's root. */
export function checkHostPath(host: string, hostPath: string): string {
  if (!hostPath.startsWith("/") || hostPath.split("/").includes("..") || hostPath.includes("\0")) {
    throw new ExecutorError(host, hostPath, "a host path must be absolute and must not contain '..'");
  }
  return hostPath;
}

/** remove() of the host's root (or of the whole of a demo host's directory) is never meant. */
export function checkRemovable(host: string, hostPath: string): string {
  if (path.posix.normalize(checkHostPath(host, hostPath)) === "/") throw new ExecutorError(host, `rm -rf ${hostPath}`, "refusing to remove the host's root");
  return hostPath;
}

export const DEFAULT_RUN_TIMEOUT_MS = 60_000;

/** The environment commands get: enough to find the tools, nothing of Hedwig's. */
export function commandEnv(host: string, extra: Record<string, string> = {}): Record<string, string> {
  for (const name of Object.keys(extra)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new ExecutorError(host, `env ${name}`, "not a valid environment variable name");
  }
  return { PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", LANG: "C.UTF-8", ...extra };
}
