import { demoNet } from "./demo-net";
import type { DbTx } from "../client";

/** Templates every installation starts with; delivery uses tcp-default and rr-default. */
export async function ensureLibraTemplates(db: DbTx): Promise<void> {
  await db.lbHealthCheck.createMany({
    data: [
      { name: "tcp-default", kind: "TCP", intervalSeconds: 3, timeoutSeconds: 2, retries: 3 },
      { name: "http-default", kind: "HTTP", httpPath: "/health", expectStatus: 200, intervalSeconds: 5, timeoutSeconds: 3, retries: 3 },
    ],
    skipDuplicates: true,
  });
  await db.lbBalanceConfig.createMany({
    data: [
      { name: "rr-default", algorithm: "rr" },
      { name: "lc-default", algorithm: "lc" },
      { name: "lvs-dr-wlc", algorithm: "wlc", lvsKind: "DR" },
      { name: "lvs-nat-rr", algorithm: "rr", lvsKind: "NAT" },
    ],
    skipDuplicates: true,
  });
}

/**
 * The demo's load balancer: one HAProxy on the demo net's .2.1 (127.0.2.1 by default; local
 * executor) that really runs, with VIPs on .2.10–250; delivered Twemproxy services get their VIP here.
 */
export async function insertDemoPool(tx: DbTx): Promise<void> {
  const net = demoNet();
  await tx.lbPool.create({
    data: {
      name: "default",
      backend: "HAPROXY",
      description: `Demo HAProxy on this machine's loopback (${net.lbServerIp}); VIPs ${net.vipRange.replace("-", "–")}`,
      configPath: "/etc/hedwig-lb/default/haproxy.cfg",
      statsPort: 9400,
      forDelivery: true,
      vipRange: net.vipRange,
      isDemo: true,
      servers: { create: [{ ip: net.lbServerIp, executor: "LOCAL" }] },
    },
  });
}
