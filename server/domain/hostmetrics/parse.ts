/**
 * What a host's /proc files and statfs say, as figures. Pure: the collector reads the files (locally
 * or over SSH) and hands the texts here, so both executors share one reading of them.
 */

/** The raw texts of one collection; a missing file is an empty string. */
export interface HostReading {
  stat: string;
  meminfo: string;
  loadavg: string;
  netdev: string;
  /** "<blockSize> <blocks> <available blocks>" per path (stat -f -c '%S %b %a'), null when unreadable */
  dataFs: FsFigures | null;
  logFs: FsFigures | null;
  kernel: string;
  osRelease: string;
  cpuinfo: string;
  productModel: string;
}

export interface FsFigures {
  totalGb: number;
  freeGb: number;
}

/** Counters that only mean something as a difference between two collections. */
export interface HostCounters {
  cpuBusy: number;
  cpuTotal: number;
  rxBytes: number;
  txBytes: number;
  /** ms since the epoch of the reading */
  at: number;
}

export interface HostFigures {
  cpuPct: number | null;
  load1: number | null;
  load5: number | null;
  load15: number | null;
  memTotalMb: number | null;
  memUsedMb: number | null;
  dataDiskTotalGb: number | null;
  dataDiskFreeGb: number | null;
  logDiskTotalGb: number | null;
  logDiskFreeGb: number | null;
  netInMbps: number | null;
  netOutMbps: number | null;
}

export interface HostFacts {
  kernel?: string;
  os?: string;
  cpuModel?: string;
  productModel?: string;
}

const GB = 1024 ** 3;

/** statfs figures from block size, total and available blocks (available: what a non-root writer gets). */
export function fsFigures(blockSize: number, blocks: number, available: number): FsFigures {
  return { totalGb: (blockSize * blocks) / GB, freeGb: (blockSize * available) / GB };
}

/** `stat -f -c '%S %b %a'` output. */
export function parseStatFs(text: string): FsFigures | null {
  const m = /^(\d+) (\d+) (\d+)\s*$/.exec(text.trim());
  return m ? fsFigures(Number(m[1]), Number(m[2]), Number(m[3])) : null;
}

/** The aggregate "cpu" line of /proc/stat: busy = everything but idle and iowait. */
export function parseCpu(stat: string): { busy: number; total: number } | null {
  const line = stat.split("\n").find((l) => l.startsWith("cpu "));
  if (!line) return null;
  // user nice system idle iowait irq softirq steal (guest time is already inside user and nice)
  const v = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if (v.length < 4 || v.some((x) => !Number.isFinite(x))) return null;
  const total = v.reduce((a, b) => a + b, 0);
  const idle = v[3]! + (v[4] ?? 0);
  return { busy: total - idle, total };
}

/** MemTotal and MemAvailable (kB) → total and used MB. */
export function parseMemory(meminfo: string): { totalMb: number; usedMb: number } | null {
  const kb = (name: string) => {
    const m = new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(meminfo);
    return m ? Number(m[1]) : null;
  };
  const total = kb("MemTotal");
  const available = kb("MemAvailable") ?? kb("MemFree");
  if (total === null || available === null) return null;
  return { totalMb: total / 1024, usedMb: (total - available) / 1024 };
}

export function parseLoad(loadavg: string): [number, number, number] | null {
  const v = loadavg.trim().split(/\s+/).slice(0, 3).map(Number);
  return v.length === 3 && v.every(Number.isFinite) ? (v as [number, number, number]) : null;
}

/** Bytes received and sent over every interface but loopback (a host's own traffic to itself is no bandwidth). */
export function parseNetDev(netdev: string): { rx: number; tx: number } | null {
  let rx = 0;
  let tx = 0;
  let seen = false;
  for (const line of netdev.split("\n")) {
    const m = /^\s*([^:\s]+):\s*(.*)$/.exec(line);
    if (!m || m[1] === "lo") continue;
    const f = m[2]!.trim().split(/\s+/).map(Number);
    if (f.length < 9) continue;
    rx += f[0]!;
    tx += f[8]!;
    seen = true;
  }
  return seen ? { rx, tx } : null;
}

function osName(osRelease: string): string | undefined {
  const m = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(osRelease);
  return m?.[1] || undefined;
}

export function parseFacts(r: Pick<HostReading, "kernel" | "osRelease" | "cpuinfo" | "productModel">): HostFacts {
  const cpu = /^model name\s*:\s*(.+)$/m.exec(r.cpuinfo)?.[1]?.trim();
  const facts: HostFacts = {
    kernel: r.kernel.trim() || undefined,
    os: osName(r.osRelease),
    cpuModel: cpu || undefined,
    productModel: r.productModel.trim() || undefined,
  };
  return Object.fromEntries(Object.entries(facts).filter(([, v]) => v !== undefined)) as HostFacts;
}

const rate = (now: number, before: number, seconds: number) => (now >= before && seconds > 0 ? (now - before) / seconds : null);

/**
 * Figures of a reading, with CPU and network as rates since `previous` (null on the first reading,
 * or when a counter went backwards: the host rebooted).
 */
export function hostFigures(r: HostReading, at: number, previous: HostCounters | null): { figures: HostFigures; counters: HostCounters | null } {
  const cpu = parseCpu(r.stat);
  const mem = parseMemory(r.meminfo);
  const load = parseLoad(r.loadavg);
  const net = parseNetDev(r.netdev);
  const counters = cpu && net ? { cpuBusy: cpu.busy, cpuTotal: cpu.total, rxBytes: net.rx, txBytes: net.tx, at } : null;
  let cpuPct: number | null = null;
  let netIn: number | null = null;
  let netOut: number | null = null;
  if (counters && previous) {
    const dTotal = counters.cpuTotal - previous.cpuTotal;
    const dBusy = counters.cpuBusy - previous.cpuBusy;
    if (dTotal > 0 && dBusy >= 0) cpuPct = Math.min(100, (dBusy / dTotal) * 100);
    const seconds = (at - previous.at) / 1000;
    const mbps = (bytesPerSec: number | null) => (bytesPerSec === null ? null : (bytesPerSec * 8) / 1e6);
    netIn = mbps(rate(counters.rxBytes, previous.rxBytes, seconds));
    netOut = mbps(rate(counters.txBytes, previous.txBytes, seconds));
  }
  return {
    counters,
    figures: {
      cpuPct,
      load1: load?.[0] ?? null,
      load5: load?.[1] ?? null,
      load15: load?.[2] ?? null,
      memTotalMb: mem?.totalMb ?? null,
      memUsedMb: mem?.usedMb ?? null,
      dataDiskTotalGb: r.dataFs?.totalGb ?? null,
      dataDiskFreeGb: r.dataFs?.freeGb ?? null,
      logDiskTotalGb: r.logFs?.totalGb ?? null,
      logDiskFreeGb: r.logFs?.freeGb ?? null,
      netInMbps: netIn,
      netOutMbps: netOut,
    },
  };
}

/** Sections of the one command an SSH host runs: "@@name" lines, then the file's text. */
export function splitSections(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let name: string | null = null;
  let lines: string[] = [];
  for (const line of text.split("\n")) {
    const m = /^@@([a-z]+)@@$/.exec(line);
    if (m) {
      if (name) out[name] = lines.join("\n");
      name = m[1]!;
      lines = [];
    } else lines.push(line);
  }
  if (name) out[name] = lines.join("\n");
  return out;
}
