import { describe, expect, it } from "vitest";
import { hostFigures, parseCpu, parseFacts, parseMemory, parseNetDev, parseStatFs, splitSections, type HostReading } from "./parse";

const STAT = (user: number, idle: number) => `cpu  ${user} 0 100 ${idle} 50 0 10 0 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\nintr 1\n`;
const NETDEV = (rx: number, tx: number) => `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo: 999999 10 0 0 0 0 0 0 999999 10 0 0 0 0 0 0
  eth0: ${rx} 10 0 0 0 0 0 0 ${tx} 10 0 0 0 0 0 0
`;
const reading = (user: number, idle: number, rx: number, tx: number): HostReading => ({
  stat: STAT(user, idle),
  meminfo: "MemTotal:       16384000 kB\nMemFree:         1000000 kB\nMemAvailable:    8192000 kB\n",
  loadavg: "0.50 0.40 0.30 1/200 1234\n",
  netdev: NETDEV(rx, tx),
  dataFs: parseStatFs("4096 262144 131072"),
  logFs: null,
  kernel: "6.1.0-18-amd64\n",
  osRelease: 'NAME="Debian GNU/Linux"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n',
  cpuinfo: "processor\t: 0\nmodel name\t: Intel(R) Xeon(R) Platinum 8269CY CPU @ 2.50GHz\n",
  productModel: "ecs.ebmc6\n",
});

describe("host readings", () => {
  it("parses /proc/stat, meminfo, net/dev (loopback left out) and statfs", () => {
    expect(parseCpu(STAT(1000, 5000))).toEqual({ busy: 1110, total: 6160 });
    expect(parseMemory(reading(0, 0, 0, 0).meminfo)).toEqual({ totalMb: 16000, usedMb: 8000 });
    expect(parseNetDev(NETDEV(100, 200))).toEqual({ rx: 100, tx: 200 });
    expect(parseStatFs("4096 262144 131072")).toEqual({ totalGb: 1, freeGb: 0.5 });
    expect(parseStatFs("garbage")).toBeNull();
  });

  it("turns counters into rates against the previous reading, and none on the first", () => {
    const first = hostFigures(reading(1000, 5000, 0, 0), 0, null);
    expect(first.figures.cpuPct).toBeNull();
    expect(first.figures.load1).toBe(0.5);
    expect(first.figures.dataDiskFreeGb).toBe(0.5);
    const second = hostFigures(reading(1300, 5100, 12_500_000, 25_000_000), 10_000, first.counters);
    // 300 busy of 400 ticks
    expect(second.figures.cpuPct).toBeCloseTo(75);
    // 12.5 MB in 10 s = 10 Mbps in, 20 out
    expect(second.figures.netInMbps).toBeCloseTo(10);
    expect(second.figures.netOutMbps).toBeCloseTo(20);
    // a reboot resets the counters: no rate rather than a negative one
    const rebooted = hostFigures(reading(10, 10, 0, 0), 20_000, second.counters);
    expect(rebooted.figures.netInMbps).toBeNull();
    expect(rebooted.figures.cpuPct).toBeNull();
  });

  it("reads the facts and the sections of the SSH answer", () => {
    expect(parseFacts(reading(0, 0, 0, 0))).toEqual({
      kernel: "6.1.0-18-amd64",
      os: "Debian GNU/Linux 12 (bookworm)",
      cpuModel: "Intel(R) Xeon(R) Platinum 8269CY CPU @ 2.50GHz",
      productModel: "ecs.ebmc6",
    });
    expect(splitSections("@@stat@@\ncpu 1\n@@loadavg@@\n0.1 0.2 0.3\n")).toEqual({ stat: "cpu 1", loadavg: "0.1 0.2 0.3\n" });
  });
});
