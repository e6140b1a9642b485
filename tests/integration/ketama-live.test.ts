import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderNutcrackerYml } from "../../server/domain/provisioning/configs/nutcracker-yml";
import { ketamaRouter, type KetamaServer } from "../../server/domain/reshard/ketama";
import { ProcessFleet } from "./monitoring-fleet";

/**
 * Hedwig's fnv1a_64 + ketama against a live nutcracker: 10,000 keys written through the proxy,
 * then each shard is asked which keys it holds. Two pools: five equal shards named as Hedwig names
 * them, and three unnamed shards of weights 1, 2, 3 (ip:port hashed, the weights shared out).
 */
const IP = "127.0.151.1";
const fleet = new ProcessFleet();

const named: KetamaServer[] = Array.from({ length: 5 }, (_, i) => ({ name: `orders-${i}`, ip: IP, port: 27100 + i, weight: 1 }));
const weighted: KetamaServer[] = [1, 2, 3].map((w, i) => ({ ip: IP, port: 27200 + i, weight: w }));

beforeAll(async () => {
  for (const s of [...named, ...weighted]) await fleet.redis(s.ip, s.port);
  await fleet.nutcracker(IP, 27150, 28150, renderNutcrackerYml({ pool: "orders", listen: { ip: IP, port: 27150 }, redis: true, servers: named as never }));
  // renderNutcrackerYml always names its servers; the unnamed form is nutcracker's own default
  const yml = [
    "w:",
    `  listen: ${IP}:27250`,
    "  hash: fnv1a_64",
    "  distribution: ketama",
    "  redis: true",
    "  servers:",
    ...weighted.map((s) => `   - ${s.ip}:${s.port}:${s.weight}`),
    "",
  ];
  await fleet.nutcracker(IP, 27250, 28250, yml.join("\n"));
});

afterAll(() => fleet.stopAll());

/** Keys of every shape: short, long, numeric, binary with bytes ≥ 0x80 (sign-extended by nutcracker), UTF-8. */
function keys(n: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    if (i % 10 === 0) out.push(Buffer.from([0x80 + (i % 128), i & 0xff, (i >> 8) & 0xff, 0xff]));
    else if (i % 10 === 1) out.push(Buffer.from(`订单:${i}:购物车`));
    else if (i % 10 === 2) out.push(Buffer.from(`${i}`));
    else if (i % 10 === 3) out.push(Buffer.from(`session:${"x".repeat(i % 200)}:${i}`));
    else out.push(Buffer.from(`user:${i}:profile`));
  }
  return out;
}

async function placement(proxyPort: number, servers: KetamaServer[], all: Buffer[]) {
  const proxy = new Redis({ host: IP, port: proxyPort, lazyConnect: true, protocol: 2, enableReadyCheck: false, disableClientInfo: true });
  await proxy.connect();
  for (let i = 0; i < all.length; i += 500) {
    const p = proxy.pipeline();
    for (const k of all.slice(i, i + 500)) p.set(k, "1");
    const res = await p.exec();
    expect(res!.every(([e]) => e === null)).toBe(true);
  }
  proxy.disconnect();
  const holder = new Map<string, number>();
  for (const [index, s] of servers.entries()) {
    const r = new Redis({ host: s.ip, port: s.port, lazyConnect: true });
    await r.connect();
    for (const k of await r.keysBuffer("*")) holder.set(k.toString("hex"), index);
    r.disconnect();
  }
  return holder;
}

describe("ketama against a live nutcracker", () => {
  it("puts every one of 10,000 keys on the shard nutcracker chose (5 named equal shards)", async () => {
    const all = keys(10_000);
    const holder = await placement(27150, named, all);
    expect(holder.size).toBe(10_000);
    const route = ketamaRouter(named);
    const wrong = all.filter((k) => holder.get(k.toString("hex")) !== route(k));
    expect(wrong.map((k) => k.toString("hex")).slice(0, 5)).toEqual([]);
    // every shard got its share
    const per = [0, 0, 0, 0, 0];
    for (const i of holder.values()) per[i]!++;
    for (const n of per) expect(n).toBeGreaterThan(1000);
  });

  it("agrees on unnamed servers (ip:port hashed) with weights 1, 2, 3", async () => {
    const all = keys(10_000).map((k) => Buffer.concat([Buffer.from("w:"), k]));
    const holder = await placement(27250, weighted, all);
    expect(holder.size).toBe(10_000);
    const route = ketamaRouter(weighted);
    expect(all.filter((k) => holder.get(k.toString("hex")) !== route(k)).length).toBe(0);
  });
});
