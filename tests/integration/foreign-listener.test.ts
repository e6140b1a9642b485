import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "../../server/api/root";
import { createContext } from "../../server/api/trpc";
import type { Db } from "../../server/db/client";
import type { Actor } from "../../server/domain/access/actor";
import { freshDatabase, makeActor } from "./db";
import { ProcessFleet } from "./monitoring-fleet";

/**
 * A process Hedwig does not know (here a plain redis-server, as a running demo or a DBA's hand
 * leaves them) listens on the port the next placement would take: the placement passes over it,
 * names it, and claims the next one. Hosts on 127.0.106.150–151.
 */
const HOSTS = ["127.0.106.150", "127.0.106.151"];
const FIRST = 17400;

let db: Db;
let dba: Actor;
let line: number;
const fleet = new ProcessFleet();
const spec = { cpuCores: 1, memoryMb: 1024, diskGb: 10, bandwidthMbps: 100 };
const placement = {
  spec,
  idcIds: null,
  selector: "",
  importance: 2,
  departmentId: null,
  replicas: 2,
  crossIdc: false,
  hostCap: null,
  shards: 1,
  strategy: "spread" as const,
  preferredIdcId: null,
  software: "REDIS" as const,
  purpose: "foreign listener test",
  serviceId: null,
  ttlSeconds: 600,
};

beforeAll(async () => {
  ({ db } = await freshDatabase());
  dba = await makeActor(db, "DBA");
  const dept = await db.department.create({ data: { code: "trade", name: "Trade" } });
  line = (await db.productLine.create({ data: { code: "trade-cart", name: "Cart", departmentId: dept.id, importance: 2 } })).id;
  await db.portRange.create({ data: { software: "REDIS", startPort: FIRST, endPort: FIRST + 99, nextPort: FIRST } });
  const idc = await db.idc.create({ data: { code: "fl", name: "fl", region: "cn-fl" } });
  for (const [i, ip] of HOSTS.entries()) {
    const rack = await db.rack.create({ data: { idcId: idc.id, code: `r${i + 1}` } });
    await db.host.create({
      data: { ip, hostname: `fl-h${i + 1}`, rackId: rack.id, cpuCores: 8, memoryMb: 8192, diskGb: 100, bandwidthMbps: 1000, tier: "MIXED" },
    });
  }
});

afterAll(() => fleet.stopAll());

describe("a port something else listens on", () => {
  it("is passed over and named by the placement, dry run and real alike; the range moves past it", async () => {
    const api = createCaller(createContext(dba.id, db));
    const quiet = await api.scheduler.place({ ...placement, productLineId: line, dryRun: true });
    expect(quiet.items.map((i) => i.port)).toEqual([FIRST, FIRST]);
    expect(quiet.skippedPorts).toEqual([]);

    // the port the placement just said it would take, now held on the second host by a stranger
    await fleet.redis(HOSTS[1]!, FIRST);
    const dry = await api.scheduler.place({ ...placement, productLineId: line, dryRun: true });
    expect(dry.items.map((i) => i.port)).toEqual([FIRST + 1, FIRST + 1]);
    expect(dry.skippedPorts).toEqual([{ ip: HOSTS[1], port: FIRST }]);
    expect(await db.portClaim.count()).toBe(0);

    const real = await api.scheduler.place({ ...placement, productLineId: line, dryRun: false });
    expect(real.items).toEqual(dry.items);
    expect(real.skippedPorts).toEqual([{ ip: HOSTS[1], port: FIRST }]);
    const claims = await db.portClaim.findMany({ orderBy: { hostId: "asc" } });
    expect(claims.map((c) => c.port)).toEqual([FIRST + 1, FIRST + 1]);
    expect((await db.portRange.findUniqueOrThrow({ where: { software: "REDIS" } })).nextPort).toBe(FIRST + 2);
  });

  it("passes over several in a row, on any host of the shard", async () => {
    await fleet.redis(HOSTS[0]!, FIRST + 2);
    await fleet.redis(HOSTS[1]!, FIRST + 3);
    const api = createCaller(createContext(dba.id, db));
    const r = await api.scheduler.place({ ...placement, productLineId: line, dryRun: true });
    expect(r.items.map((i) => i.port)).toEqual([FIRST + 4, FIRST + 4]);
    expect(r.skippedPorts).toEqual([
      { ip: HOSTS[0], port: FIRST + 2 },
      { ip: HOSTS[1], port: FIRST + 3 },
    ]);
  });
});
