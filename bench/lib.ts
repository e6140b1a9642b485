import fs from "node:fs";
import path from "node:path";

/** Shared helpers for bench scripts: they print JSON lines and never judge the figures. */
export function percentiles(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  const r = (n: number) => Math.round(n * 1000) / 1000;
  return { n: s.length, p50_ms: r(at(0.5)), p95_ms: r(at(0.95)), p99_ms: r(at(0.99)), max_ms: r(s[s.length - 1]!) };
}

export const emit = (line: Record<string, unknown> & { name: string }) => console.log(JSON.stringify(line));

export async function time<T>(fn: () => Promise<T> | T): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** Job logs and workers print to stdout; a bench's stdout carries its JSON lines only. Returns the undo. */
export function logsToStderr() {
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    return (text.startsWith("{") ? write : process.stderr.write.bind(process.stderr))(chunk as never, ...(rest as [never]));
  }) as typeof process.stdout.write;
  return () => void (process.stdout.write = write);
}

/** Every daemon the bench started, by the pid files under its data directory (each leads its own process group). */
export function killDaemons(dir: string) {
  for (const pidFile of walk(dir).filter((f) => f.endsWith(".pid"))) {
    const pid = Number(fs.readFileSync(pidFile, "utf8"));
    if (!Number.isInteger(pid) || pid <= 1) continue;
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      /* already gone */
    }
  }
}

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}
