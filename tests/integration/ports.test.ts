import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db/client";
import { claimPorts, previewPort, reservePorts } from "../../server/domain/inventory/ports";
import { freshDatabase } from "./db";

let db: Db;
let hosts: { id: number; ip: string }[];

beforeAll(async () => {
  ({ db } = await freshDatabase());
  const idc = await db.idc.create({ data: { code: "t1", name: "T1", region: "cn-sh" } });
  const rack = await db.rack.create({ data: { idcId: idc.id, code: "r1" } });
  hosts = [];
  for (let i = 1; i <= 4; i++) {
    hosts.push(
      await db.host.create({
        data: { ip: `127.0.9.${i}`, hostname: `h${i}`, rackId: rack.id, cpuCores: 8, memoryMb: 8192, diskGb: 100, bandwidthMbps: 1000 },
        select: { id: true, ip: true },
      }),
    );
  }
  await db.portRange.create({ data: { software: "REDIS", startPort: 7000, endPort: 7099, nextPort: 7000 } });
});

const reserve = (shards: { id: number; ip: string }[][]) =>
  db.$transaction(async (tx) => {
    const { ports } = await reservePorts(
      tx,
      "REDIS",
      shards.map((s) => s.map((h) => ({ hostId: h.id, ip: h.ip }))),
    );
    await claimPorts(
      tx,
      shards.flatMap((s, i) => s.map((h) => ({ hostId: h.id, port: ports[i]!, software: "REDIS" as const }))),
    );
    return ports;
  });

describe("port reservation", () => {
  it("gives a master and its replica the same port, and the next shard the next port", async () => {
    const ports = await reserve([
      [hosts[0]!, hosts[1]!],
      [hosts[0]!, hosts[2]!],
    ]);
    expect(ports).toEqual([7000, 7001]);
    expect((await db.portRange.findUnique({ where: { software: "REDIS" } }))!.nextPort).toBe(7002);
  });

  it("keeps increasing globally and skips ports already taken on any of the shard's hosts", async () => {
    await db.portClaim.create({ data: { hostId: hosts[3]!.id, port: 7002, software: "REDIS" } });
    expect(await previewPort(db, "REDIS", [{ hostId: hosts[3]!.id, ip: hosts[3]!.ip }])).toBe(7003);
    expect(await reserve([[hosts[2]!, hosts[3]!]])).toEqual([7003]);
  });

  it("never hands the same (host, port) to two concurrent reservations", async () => {
    const results = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => reserve([[hosts[i % 4]!, hosts[(i + 1) % 4]!]])));
    const failed = results.filter((r) => r.status === "rejected");
    expect(failed).toEqual([]);
    const claims = await db.portClaim.findMany();
    const keys = claims.map((c) => `${c.hostId}:${c.port}`);
    expect(new Set(keys).size).toBe(keys.length);
    const ports = results.map((r) => (r as PromiseFulfilledResult<number[]>).value[0]!);
    expect(new Set(ports).size).toBe(30);
  });

  it("refuses with the hosts named when the range has no free port left, and writes nothing", async () => {
    await db.portRange.update({ where: { software: "REDIS" }, data: { startPort: 7000, endPort: 7001 } });
    const before = await db.portClaim.count();
    await expect(reserve([[hosts[0]!, hosts[1]!]])).rejects.toThrow(/port range 7000–7001 for REDIS has no port free on hosts 127\.0\.9\.1, 127\.0\.9\.2/);
    expect(await db.portClaim.count()).toBe(before);
  });

  it("names the holder when a claim loses a race", async () => {
    const taken = await db.portClaim.findFirstOrThrow({ where: { hostId: hosts[0]!.id } });
    await expect(claimPorts(db, [{ hostId: taken.hostId, port: taken.port, software: "REDIS" }])).rejects.toThrow(
      new RegExp(`port ${taken.port} on 127\\.0\\.9\\.1 is taken by a reservation`),
    );
  });
});
