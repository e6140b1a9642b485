import { english } from "../../i18n/load";
import { TRPCError } from "@trpc/server";
import { beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "../../server/api/root";
import { createContext } from "../../server/api/trpc";
import type { Db } from "../../server/db/client";
import { ensureSettingsAndRanges } from "../../server/db/seed";
import { previewImport } from "../../server/domain/inventory/import";
import { freshDatabase, makeActor } from "./db";

let db: Db;
let api: ReturnType<typeof createCaller>;

const HEADER = "ip,hostname,idc,rack,cpuCores,memoryGb,diskGb,bandwidthMbps,status,tier,department,labels";
const host = (ip: string, over: Partial<Record<"hostname" | "idc" | "rack" | "cpu" | "memGb" | "status" | "tier" | "department" | "labels", string>> = {}) =>
  [
    ip,
    over.hostname ?? `h-${ip.replaceAll(".", "-")}`,
    over.idc ?? "sh01",
    over.rack ?? "r01",
    over.cpu ?? "32",
    over.memGb ?? "128",
    "1000",
    "10000",
    over.status ?? "ONLINE",
    over.tier ?? "MIXED",
    over.department ?? "",
    over.labels ?? "region=cn-sh",
  ].join(",");
const csv = (...rows: string[]) => [HEADER, ...rows].join("\n") + "\n";

async function refusal(p: Promise<unknown>): Promise<TRPCError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(TRPCError);
    return e as TRPCError;
  }
  throw new Error("expected the call to be refused");
}

const auditCount = (action: string) => db.auditEntry.count({ where: { action } });

beforeAll(async () => {
  ({ db } = await freshDatabase());
  await ensureSettingsAndRanges(db);
  const dept = await db.department.create({ data: { code: "trade", name: "Trade" } });
  await db.productLine.create({ data: { code: "trade-cart", name: "Cart", departmentId: dept.id, importance: 4 } });
  const idc = await db.idc.create({ data: { code: "sh01", name: "Shanghai 1", region: "cn-sh" } });
  await db.rack.create({ data: { idcId: idc.id, code: "r01" } });
  const dba = await makeActor(db, "DBA");
  api = createCaller(createContext(dba.id, db));
});

describe("host import", () => {
  it("imports a good CSV, creating the racks it names, with an audit entry per host and rack plus a summary", async () => {
    const text = csv(
      host("10.0.0.1", { labels: "region=cn-sh;model=ebmc6" }),
      host("10.0.0.2", { rack: "r02", tier: "MIXED_DEPARTMENT", department: "trade", status: "maintenance" }),
      host("10.0.0.3", { tier: "dedicated", memGb: "0.5" }),
    );
    const report = await api.import.preview({ kind: "hosts", text });
    expect(report).toMatchObject({ format: "csv", valid: 3, invalid: 0 });
    expect(report.rows.map((r) => r.line)).toEqual([2, 3, 4]);
    expect(report.rows[1]!.notes.map(english)).toEqual(["rack r02 is new in IDC sh01 and will be created"]);
    expect(await db.host.count()).toBe(0);

    const result = await api.import.commit({ kind: "hosts", text, onlyValid: false });
    expect(result.created).toEqual({ hosts: 3, racks: 1, services: 0, instances: 0 });
    const hosts = await db.host.findMany({ orderBy: { ip: "asc" }, include: { rack: true, department: true } });
    expect(hosts.map((h) => [h.ip, h.rack.code, h.status, h.tier, h.department?.code ?? null, h.memoryMb])).toEqual([
      ["10.0.0.1", "r01", "ONLINE", "MIXED", null, 131072],
      ["10.0.0.2", "r02", "MAINTENANCE", "MIXED_DEPARTMENT", "trade", 131072],
      ["10.0.0.3", "r01", "ONLINE", "DEDICATED", null, 512],
    ]);
    expect(hosts[0]!.labels).toEqual({ region: "cn-sh", model: "ebmc6" });
    expect(await auditCount("import.host")).toBe(3);
    expect(await auditCount("import.rack")).toBe(1);
    const summary = await db.auditEntry.findFirstOrThrow({ where: { action: "import.summary" } });
    expect(summary.summary).toBe("imported 3 hosts, 1 new rack(s) from CSV");
    const entry = await db.auditEntry.findFirstOrThrow({ where: { action: "import.host", entityId: String(hosts[0]!.id) } });
    expect(entry.summary).toBe(`imported host 10.0.0.1 (h-10-0-0-1)`);
  });

  const BAD = csv(
    host("10.1.0.1"), // line 2: good
    host("10.1.0.2"), // line 3: same IP as line 4
    host("10.1.0.2"), // line 4
    host("10.1.0.5", { memGb: "-1" }), // line 5
    host("10.1.0.6", { idc: "nowhere" }), // line 6
    host("10.1.0.7", { labels: "bad key=1" }), // line 7
    host("10.1.0.8"), // line 8: good
    host("10.0.0.1"), // line 9: already a host
  );

  it("reports each bad row with its reason", async () => {
    const report = await api.import.preview({ kind: "hosts", text: BAD });
    expect(report).toMatchObject({ valid: 2, invalid: 6 });
    const byLine = Object.fromEntries(report.rows.map((r) => [r.line, r]));
    expect(byLine[2]).toMatchObject({ status: "ok", messages: [] });
    expect(byLine[8]).toMatchObject({ status: "ok", messages: [] });
    expect(byLine[3]!.messages.map(english)).toEqual(["ip: 10.1.0.2 is also on line 4 of this file; each host needs its own IP"]);
    expect(byLine[4]!.messages.map(english)).toEqual(["ip: 10.1.0.2 is also on line 3 of this file; each host needs its own IP"]);
    expect(byLine[5]!.messages.map(english)).toEqual(["memoryGb: memory (MB) must be greater than 0"]);
    expect(byLine[6]!.messages.map(english)).toEqual(['idc: IDC "nowhere" does not exist; create it under IDCs & racks first (known: sh01)']);
    expect(byLine[7]!.messages).toHaveLength(1);
    expect(english(byLine[7]!.messages[0])).toMatch(/^labels: the key "bad key" is refused: label keys use letters/);
    expect(english(byLine[9]!.messages[0])).toMatch(/^ip: 10\.0\.0\.1 is already host h-10-0-0-1 \(id \d+\)/);
    expect(byLine[5]!.summary).toBe("10.1.0.5 · h-10-1-0-5 · sh01/r01");
  });

  it("writes nothing when a row is bad and the user did not choose the valid rows only", async () => {
    const [hosts, audits] = [await db.host.count(), await db.auditEntry.count()];
    const e = await refusal(api.import.commit({ kind: "hosts", text: BAD, onlyValid: false }));
    expect(e.code).toBe("BAD_REQUEST");
    expect(e.message).toBe("6 of 8 row(s) have errors, so nothing was imported; fix them, or import only the 2 valid row(s)");
    expect(await db.host.count()).toBe(hosts);
    expect(await db.auditEntry.count()).toBe(audits);
  });

  it("imports only the valid rows when asked, and says what it skipped", async () => {
    const result = await api.import.commit({ kind: "hosts", text: BAD, onlyValid: true });
    expect(result.created.hosts).toBe(2);
    expect(result.skipped).toBe(6);
    const ips = (await db.host.findMany({ where: { ip: { startsWith: "10.1." } }, select: { ip: true } })).map((h) => h.ip).sort();
    expect(ips).toEqual(["10.1.0.1", "10.1.0.8"]);
    const summary = await db.auditEntry.findFirstOrThrow({ where: { action: "import.summary" }, orderBy: { id: "desc" } });
    expect(summary.summary).toBe("imported 2 hosts from CSV; skipped 6 invalid row(s) (lines 3, 4, 5, 6, 7, 9)");
  });

  it("imports JSON, with labels as an object", async () => {
    const text = JSON.stringify([
      {
        ip: "10.2.0.1",
        hostname: "j1",
        idc: "sh01",
        rack: "r01",
        cpuCores: 16,
        memoryMb: 65536,
        diskGb: 500,
        bandwidthMbps: 10000,
        labels: { region: "cn-sh", ssd: true },
      },
      { ip: "10.2.0.2", hostname: "j2", idc: "sh01", rack: "r01", cpuCores: 16, memoryMb: 65536, diskGb: 500, bandwidthMbps: 10000 },
    ]);
    const result = await api.import.commit({ kind: "hosts", text, onlyValid: false });
    expect(result.report.format).toBe("json");
    expect(result.created.hosts).toBe(2);
    expect((await db.host.findUniqueOrThrow({ where: { ip: "10.2.0.1" } })).labels).toEqual({ region: "cn-sh", ssd: "true" });
  });

  it("refuses a file over the size cap with the limits in the message", async () => {
    const e = await refusal(api.import.preview({ kind: "hosts", text: csv(host("10.9.0.1")) + "#".repeat(5 * 1024 * 1024) }));
    expect(e.code).toBe("BAD_REQUEST");
    expect(e.message).toMatch(/at most 5 MB and 20,000 rows/);
  });

  it("is for DBAs and ADMINs only", async () => {
    const noc = await makeActor(db, "NOC");
    const e = await refusal(createCaller(createContext(noc.id, db)).import.preview({ kind: "hosts", text: csv(host("10.9.0.1")) }));
    expect(e.code).toBe("FORBIDDEN");
  });
});

describe("instance import", () => {
  const IHEADER = "service,productLine,kind,host,port,software,role,shard,version,maxmemoryMb,master,state";

  it("imports an adopted master/replica (the replica listed first) with port claims, and moves the port cursor", async () => {
    const text = [
      IHEADER,
      "cart-adopted,trade-cart,REDIS_STANDALONE,10.0.0.2,6500,,replica,0,6.2.14,4096,10.0.0.1:6500,RUNNING",
      "cart-adopted,trade-cart,REDIS_STANDALONE,10.0.0.1,6500,REDIS,master,0,6.2.14,4096,,",
    ].join("\n");
    const report = await api.import.preview({ kind: "instances", text });
    expect(report).toMatchObject({ valid: 2, invalid: 0 });
    expect(english(report.rows[0]!.notes[0])).toMatch(/service cart-adopted is new and will be created as adopted/);

    const result = await api.import.commit({ kind: "instances", text, onlyValid: false });
    expect(result.created).toEqual({ hosts: 0, racks: 0, services: 1, instances: 2 });
    const service = await db.service.findUniqueOrThrow({
      where: { name: "cart-adopted" },
      include: { instances: { include: { host: true, portClaim: true } } },
    });
    expect(service).toMatchObject({ adopted: true, kind: "REDIS_STANDALONE", entryHost: "10.0.0.1", entryPort: 6500 });
    const master = service.instances.find((i) => i.role === "MASTER")!;
    const replica = service.instances.find((i) => i.role === "REPLICA")!;
    expect(master.host.ip).toBe("10.0.0.1");
    expect(replica).toMatchObject({ masterId: master.id, port: 6500, software: "REDIS", maxmemoryMb: 4096, version: "6.2.14" });
    expect(replica.memoryMb).toBeGreaterThan(4096);
    for (const i of service.instances) expect(i.portClaim).toMatchObject({ hostId: i.hostId, port: 6500, software: "REDIS", instanceId: i.id });
    expect((await db.portRange.findUniqueOrThrow({ where: { software: "REDIS" } })).nextPort).toBe(6501);
    expect(await auditCount("import.instance")).toBe(2);
    expect(await auditCount("import.service")).toBe(1);
    expect((await db.auditEntry.findFirstOrThrow({ where: { action: "import.summary" }, orderBy: { id: "desc" } })).summary).toBe(
      "imported 2 instances, 1 adopted service(s) from CSV",
    );
  });

  it("refuses taken ports, ports outside the range, replicas on their master's host and unknown hosts", async () => {
    const master = await db.instance.findFirstOrThrow({ where: { role: "MASTER", service: { name: "cart-adopted" } } });
    const text = [
      IHEADER,
      "cart-adopted,,,10.0.0.1,6500,,MASTER,1,7.0.15,,,", // line 2: port taken
      "cart-adopted,,,10.0.0.3,100,,MASTER,1,7.0.15,,,", // line 3: outside the range
      "cart-adopted,,,10.0.0.1,6501,,REPLICA,0,7.0.15,,10.0.0.1:6500,", // line 4: on its master's host
      "cart-adopted,,,10.77.0.1,6502,,MASTER,2,7.0.15,,,", // line 5: unknown host
      "cart-adopted,,,10.0.0.2,6502,,REPLICA,2,7.0.15,,10.77.0.1:6502,", // line 6: its master row is bad
      "new-cache,,,10.0.0.3,11300,,CACHE,0,1.6.18,1024,,", // line 7: a new service without product line or kind
      "cart-adopted,,,10.0.0.3,6503,,MASTER,3,7.0.15,,,", // line 8: good
    ].join("\n");
    const report = await previewImport(db, { kind: "instances", text, format: "auto" });
    const byLine = Object.fromEntries(report.rows.map((r) => [r.line, r]));
    expect(byLine[2]!.messages.map(english)).toEqual([`port: 6500 on 10.0.0.1 is taken by instance ${master.id} (cart-adopted)`]);
    expect(byLine[3]!.messages.map(english)).toEqual([
      "port: 100 is outside the REDIS range 6379–8999; use a port in the range or widen it under Catalog → Port ranges",
    ]);
    expect(byLine[4]!.messages.map(english)).toEqual(["master: a replica must live on another host than its master (10.0.0.1:6500)"]);
    expect(byLine[5]!.messages.map(english)).toEqual(["host: 10.77.0.1 is not in the inventory; import it as a host first"]);
    expect(byLine[6]!.messages.map(english)).toEqual(["master: 10.77.0.1:6502 (line 5) is on a host that is not in the inventory"]);
    expect(byLine[7]!.messages.map(english)).toEqual([
      "productLine: service new-cache is new; give the code of its product line (it will be created as adopted)",
      expect.stringMatching(/^kind: service new-cache is new; give its kind/),
    ]);
    expect(byLine[8]).toMatchObject({ status: "ok" });
    expect(report).toMatchObject({ valid: 1, invalid: 6 });

    const before = await db.instance.count();
    const e = await refusal(api.import.commit({ kind: "instances", text, onlyValid: false }));
    expect(e.message).toMatch(/^6 of 7 row\(s\) have errors/);
    expect(await db.instance.count()).toBe(before);
  });

  it("refuses a replica whose master row in the file is refused", async () => {
    const text = [
      IHEADER,
      "cart-adopted,,,10.0.0.3,6600,,REPLICA,5,7.0.15,,10.0.0.2:6600,",
      "cart-adopted,,,10.0.0.2,6600,,MASTER,5,,,,", // no version
    ].join("\n");
    const report = await api.import.preview({ kind: "instances", text });
    expect(report.rows[0]!.messages.map(english)).toEqual(["master: its master on line 3 has errors; fix that row first"]);
    expect(report.rows[1]!.messages.map(english)).toEqual(["version is required"]);
  });

  it("imports JSON too: a memcached pool behind twemproxy, adopted", async () => {
    const base = { service: "cart-mc", productLine: "trade-cart", kind: "MEMCACHED_TWEMPROXY", version: "1.6.18" };
    const text = JSON.stringify([
      { ...base, host: "10.0.0.1", port: 11300, role: "CACHE", shard: 0, maxmemoryMb: 2048 },
      { ...base, host: "10.0.0.2", port: 11300, role: "CACHE", shard: 1, maxmemoryMb: 2048 },
      { ...base, host: "10.0.0.3", port: 22200, role: "PROXY", version: "0.5.0" },
    ]);
    const result = await api.import.commit({ kind: "instances", text, onlyValid: false });
    expect(result.created).toMatchObject({ services: 1, instances: 3 });
    const s = await db.service.findUniqueOrThrow({ where: { name: "cart-mc" }, include: { _count: { select: { instances: true } } } });
    expect(s).toMatchObject({ entryHost: "10.0.0.3", entryPort: 22200, adopted: true, _count: { instances: 3 } });
    expect(await db.portClaim.count({ where: { instance: { serviceId: s.id } } })).toBe(3);
  });
});

describe("bulk", () => {
  it("imports 5,000 hosts in one go", async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => host(`10.50.${Math.floor(i / 250)}.${(i % 250) + 1}`, { rack: `b${Math.floor(i / 40)}` }));
    const started = Date.now();
    const result = await api.import.commit({ kind: "hosts", text: csv(...rows), onlyValid: false });
    console.log(`imported 5000 hosts in ${Date.now() - started} ms`);
    expect(result.created).toMatchObject({ hosts: 5000, racks: 125 });
    expect(await db.host.count({ where: { ip: { startsWith: "10.50." } } })).toBe(5000);
    expect(await auditCount("import.host")).toBe(3 + 2 + 2 + 5000);
  });
});
