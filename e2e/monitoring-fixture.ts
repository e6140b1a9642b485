import { createDb, type Db } from "../server/db/client";
import { rollupRows, sampleRows, setServiceHealth } from "../tests/fixtures/monitoring-rows";

/**
 * Until the collector and the health rules are merged, the board journeys get their health,
 * incident and sample rows written straight into the e2e server's database (as cal.com's
 * fixtures create their data). The lead switches the red tile to a really stopped instance then.
 */
export function e2eDb(): Db {
  return createDb(`postgresql://hedwig:hedwig@127.0.0.1:${process.env.E2E_PG_PORT ?? 54330}/hedwig`, 2);
}

export const RED_REASON = "instance 127.0.1.9:6379 (master of shard 0) is unreachable";
export const AMBER_REASON = "memory at 86% of maxmemory";

export type BoardFixture = { red: { id: number; name: string; line: string }; amber: { id: number; name: string } };

/** A red Twemproxy service outside the BUSINESS user's lines (with an open incident, samples and Titan rows), an amber one inside them, the rest green. */
export async function writeBoardRows(db: Db): Promise<BoardFixture> {
  const services = await db.service.findMany({ where: { status: "ONLINE" }, include: { productLine: true, instances: true }, orderBy: { id: "asc" } });
  const red = services.find((s) => s.kind === "REDIS_TWEMPROXY" && !s.productLine.code.startsWith("trade-") && s.instances.length > 0)!;
  const amber = services.find((s) => s.productLine.code === "trade-cart")!;
  const fixture = { red: { id: red.id, name: red.name, line: red.productLine.code }, amber: { id: amber.id, name: amber.name } };
  // Playwright re-runs beforeAll in a new worker after a failure: write once per database.
  if (await db.serviceHealth.findUnique({ where: { serviceId: red.id } })) return fixture;
  const now = new Date();
  await setServiceHealth(db, red.id, "RED", [{ code: "instance_down", level: "RED", message: RED_REASON }], { incident: true, since: new Date(now.getTime() - 7 * 60_000) });
  await setServiceHealth(db, amber.id, "AMBER", [{ code: "memory_high", level: "AMBER", message: AMBER_REASON }], { since: new Date(now.getTime() - 3 * 60_000) });
  // Most of the fleet green; a few left unmonitored.
  for (const s of services.slice(0, 200)) if (s.id !== red.id && s.id !== amber.id) await setServiceHealth(db, s.id, "GREEN", []);

  const insts = red.instances.map((i) => ({ id: i.id, serviceId: red.id }));
  await db.metricSample.createMany({ data: sampleRows(insts, now, 10, 360, { ops: 800, usedMb: 300, maxMb: 1024 }), skipDuplicates: true });
  const shape = { opsAvg: 5000, maxmemoryMb: 8192, usedMb: 5000, clients: 120 };
  await db.serviceMinute.createMany({ data: rollupRows(red.id, now, 60, 2 * 24 * 60, shape), skipDuplicates: true });
  await db.serviceHour.createMany({ data: rollupRows(red.id, now, 3600, 35 * 24, shape, true), skipDuplicates: true });
  const master = red.instances.find((i) => i.role === "MASTER")!;
  const proxy = red.instances.find((i) => i.role === "PROXY");
  const proxyHost = proxy ? await db.host.findUniqueOrThrow({ where: { id: proxy.hostId } }) : null;
  await db.clientSource.createMany({
    data: [
      ...(proxyHost ? [{ instanceId: master.id, serviceId: red.id, clientIp: proxyHost.ip, connections: 12, updatedAt: now }] : []),
      { instanceId: master.id, serviceId: red.id, clientIp: "127.0.1.200", connections: 2, updatedAt: now },
    ],
    skipDuplicates: true,
  });
  await db.slowlogEntry.create({
    data: { instanceId: master.id, serviceId: red.id, slowlogId: BigInt(now.getTime()), at: new Date(now.getTime() - 120_000), durationUs: 48_000, command: "KEYS", args: ["order:*"], clientAddr: "127.0.1.200:51234" },
  });
  return fixture;
}
