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
