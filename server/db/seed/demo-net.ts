/**
 * The demo's loopback address plan: a /16 of 127.0.0.0/8, `127.N`. Hosts take 127.N.1.1–254, then
 * 127.N.3.x, 127.N.4.x…; the load balancer takes 127.N.2.x (its server .1, VIPs .10–.250).
 * `HEDWIG_DEMO_NET` picks N (default `127.0`): a test server seeds its demo on a block of its own,
 * so its processes never meet those of a Hedwig running on the same machine.
 */
export type DemoNet = {
  /** "127.0" */
  prefix: string;
  /** demo host i's address */
  hostIp(i: number): string;
  /** the HAProxy of the demo pool */
  lbServerIp: string;
  /** the pool's VIP range, "a-b" */
  vipRange: string;
};

const BLOCK = /^127\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.0\.0\/16)?$/;

export function demoNet(spec: string | undefined = process.env.HEDWIG_DEMO_NET): DemoNet {
  const given = spec?.trim() || "127.0";
  const m = BLOCK.exec(given);
  if (!m) throw new Error(`HEDWIG_DEMO_NET=${given} is not a loopback /16: write it as 127.N (0 ≤ N ≤ 255), e.g. 127.1`);
  // Benchmark fleets take 127.10.0.0 and up (seed/fleet.ts), so a demo there would share their addresses.
  const n = Number(m[1]);
  if (n >= 10) throw new Error(`HEDWIG_DEMO_NET=${given}: 127.10.0.0 and above belong to benchmark fleets; use 127.0–127.9`);
  const prefix = `127.${n}`;
  return {
    prefix,
    hostIp(i: number) {
      const block = Math.floor(i / 254);
      const third = block === 0 ? 1 : block + 2;
      if (third > 255) throw new Error(`demo host ${i} is beyond the ${prefix}.x.y loopback plan`);
      return `${prefix}.${third}.${(i % 254) + 1}`;
    },
    lbServerIp: `${prefix}.2.1`,
    vipRange: `${prefix}.2.10-${prefix}.2.250`,
  };
}
