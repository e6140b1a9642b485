import { describe, expect, it } from "vitest";
import { createCaller } from "../../server/api/root";
import { createContext } from "../../server/api/trpc";
import { lookupHosts } from "../../server/domain/inventory/host-lookup";
import { freshDatabase, makeActor } from "./db";

const { db } = await freshDatabase();

const rack = await db.rack.create({ data: { code: "r01", idc: { create: { code: "sh", name: "Shanghai", region: "cn-sh" } } } });
for (const ip of ["10.0.0.10", "10.0.0.9", "10.0.0.1", "10.0.1.1", "192.168.0.1"]) {
  await db.host.create({ data: { ip, hostname: `h-${ip}`, rackId: rack.id, cpuCores: 8, memoryMb: 16384, diskGb: 100, bandwidthMbps: 1000 } });
}

describe("lookupHosts", () => {
  it("finds hosts by IP prefix in address order, with where they stand", async () => {
    const found = await lookupHosts(db, { prefix: "10.0.0.", limit: 20 });
    expect(found.map((h) => h.ip)).toEqual(["10.0.0.1", "10.0.0.9", "10.0.0.10"]);
    expect(found[0]).toMatchObject({ hostname: "h-10.0.0.1", status: "ONLINE", idc: "sh", rack: "r01" });
  });

  it("stops at the limit", async () => {
    expect((await lookupHosts(db, { prefix: "10.", limit: 2 })).map((h) => h.ip)).toEqual(["10.0.0.1", "10.0.0.9"]);
  });
});

describe("hosts.lookup", () => {
  const callerFor = async (role: "DBA" | "NOC" | "BUSINESS") => createCaller(createContext((await makeActor(db, role)).id, db));

  it("answers the fleet roles", async () => {
    for (const role of ["DBA", "NOC"] as const) {
      expect((await (await callerFor(role)).hosts.lookup({ prefix: "192." })).map((h) => h.ip)).toEqual(["192.168.0.1"]);
    }
  });

  it("refuses BUSINESS users, who must not learn host addresses this way", async () => {
    await expect((await callerFor("BUSINESS")).hosts.lookup({ prefix: "10." })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("refuses anything but digits and dots with a sentence", async () => {
    await expect((await callerFor("DBA")).hosts.lookup({ prefix: "10.%" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("start of an IPv4 address"),
    });
  });
});
