import { beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "../../server/api/root";
import { createContext } from "../../server/api/trpc";
import type { Db } from "../../server/db/client";
import type { Actor } from "../../server/domain/access/actor";
import { freshDatabase, makeActor } from "./db";

let db: Db;
let dba: Actor;
let rackId: number;
let departmentId: number;
const as = (actor: Actor) => createCaller(createContext(actor.id, db));

const host = (ip: string, labels: Record<string, string> = {}) => ({
  ip,
  hostname: `host-${ip}`,
  rackId,
  cpuCores: 16,
  memoryMb: 65536,
  diskGb: 500,
  bandwidthMbps: 10000,
  labels,
});

beforeAll(async () => {
  ({ db } = await freshDatabase());
  dba = await makeActor(db, "DBA");
  const idc = await db.idc.create({ data: { code: "sh", name: "SH", region: "cn-sh" } });
  rackId = (await db.rack.create({ data: { idcId: idc.id, code: "r1" } })).id;
  departmentId = (await db.department.create({ data: { code: "trade", name: "Trade" } })).id;
  await db.portRange.create({ data: { software: "REDIS", startPort: 6379, endPort: 6999, nextPort: 6379 } });
});

describe("hosts", () => {
  it("creates a host and writes an audit entry with the after state", async () => {
    const h = await as(dba).hosts.create(host("127.0.5.1", { region: "cn-sh", model: "ebmc6", env: "prod" }));
    const audit = await db.auditEntry.findFirstOrThrow({ where: { entityType: "Host", entityId: String(h.id) } });
    expect(audit).toMatchObject({ action: "host.create", actorName: dba.username });
    expect((audit.after as { ip: string }).ip).toBe("127.0.5.1");
  });

  it("refuses a duplicate IP with the existing host named, and writes nothing", async () => {
    const before = await db.host.count();
    await expect(as(dba).hosts.create(host("127.0.5.1"))).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/IP 127\.0\.5\.1 is already host host-127\.0\.5\.1/),
    });
    expect(await db.host.count()).toBe(before);
  });

  it("refuses negative memory with a message naming the field", async () => {
    await expect(as(dba).hosts.create({ ...host("127.0.5.2"), memoryMb: -1 })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/memoryMb: memory \(MB\) must be greater than 0/),
    });
  });

  it("refuses a department tier without its department", async () => {
    await expect(as(dba).hosts.create({ ...host("127.0.5.3"), tier: "MIXED_DEPARTMENT" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/needs that department/),
    });
  });

  it("selects by label expression over jsonb, with != matching hosts that lack the key", async () => {
    await as(dba).hosts.create(host("127.0.5.4", { region: "cn-sh", model: "ebmc7", env: "test" }));
    await as(dba).hosts.create(host("127.0.5.5", { region: "cn-sh", model: "r5" }));
    await as(dba).hosts.create(host("127.0.5.6", { region: "cn-bj", model: "ebmc7", env: "prod" }));
    const ips = async (selector: string) =>
      (await as(dba).hosts.list({ selector, search: "", page: 1, pageSize: 100, sort: "ip", dir: "asc" })).rows.map((r) => r.ip);
    expect(await ips("region=cn-sh,model in (ebmc6,ebmc7),env!=test")).toEqual(["127.0.5.1"]);
    expect(await ips("region=cn-sh,env!=test")).toEqual(["127.0.5.1", "127.0.5.5"]);
    expect(await ips("!env")).toEqual(["127.0.5.5"]);
    expect(await ips("model notin (ebmc7)")).toEqual(["127.0.5.1", "127.0.5.5"]);
    const typo = await as(dba).hosts.list({ selector: "regoin=cn-sh", search: "", page: 1, pageSize: 10, sort: "ip", dir: "asc" });
    expect(typo).toMatchObject({ total: 0, unknownKeys: ["regoin"] });
  });

  it("refuses an unknown label operator with the operators it knows", async () => {
    await expect(as(dba).hosts.list({ selector: "region ~ cn-sh", search: "", page: 1, pageSize: 10, sort: "ip", dir: "asc" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/unknown label operator "~".*use =, !=, in/),
    });
  });

  it("batch-locks the whole selection in one transaction with one audit entry per host", async () => {
    const r = await as(dba).hosts.batch({ target: { filter: { selector: "region=cn-sh", search: "" } }, change: { action: "setStatus", status: "LOCKED" } });
    expect(r).toEqual({ matched: 3, changed: 3 });
    expect(await db.host.count({ where: { status: "LOCKED" } })).toBe(3);
    expect(await db.auditEntry.count({ where: { action: "host.batch.setStatus" } })).toBe(3);
    const labelled = await as(dba).hosts.batch({
      target: { filter: { selector: "model=ebmc7", search: "" } },
      change: { action: "setLabel", key: "rack-row", value: "a" },
    });
    expect(labelled.changed).toBe(2);
    const removed = await as(dba).hosts.batch({ target: { filter: { selector: "rack-row", search: "" } }, change: { action: "removeLabel", key: "rack-row" } });
    expect(removed.changed).toBe(2);
    expect(await db.host.count({ where: { labels: { path: ["rack-row"], not: "null" as never } } })).toBe(0);
  });

  it("a batch naming a host that no longer exists changes nothing", async () => {
    const ids = (await db.host.findMany({ select: { id: true } })).map((h) => h.id);
    await expect(as(dba).hosts.batch({ target: { ids: [...ids, 999_999] }, change: { action: "setStatus", status: "OFFLINE" } })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    expect(await db.host.count({ where: { status: "OFFLINE" } })).toBe(0);
  });

  it("refuses to remove a host that still carries instances, naming them", async () => {
    const pl = await as(dba).productLines.create({ code: "trade-cart", name: "Cart", departmentId, importance: 3, description: "" });
    const svc = await as(dba).services.create({
      name: "trade-cart-redis-01",
      productLineId: pl.id,
      kind: "REDIS_STANDALONE",
      description: "",
      entryHost: null,
      entryPort: null,
    });
    const h = await db.host.findUniqueOrThrow({ where: { ip: "127.0.5.4" } });
    await as(dba).services.createInstance({
      serviceId: svc.id,
      hostId: h.id,
      port: 6380,
      software: "REDIS",
      role: "MASTER",
      version: "7.0.15",
      shardIndex: 0,
      maxmemoryMb: 1024,
      state: "RUNNING",
      masterId: null,
      cpuCores: 1,
      memoryMb: 1200,
      diskGb: 2,
      bandwidthMbps: 10,
    });
    await expect(as(dba).hosts.delete({ id: h.id })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: expect.stringMatching(/127\.0\.5\.4 still carries 1 instance\(s\) \(trade-cart-redis-01:6380\)/),
    });
    expect(await db.host.findUnique({ where: { id: h.id } })).not.toBeNull();
  });

  it("refuses an instance port outside the range, and a port already taken, naming the holder", async () => {
    const svc = await db.service.findFirstOrThrow();
    const h = await db.host.findUniqueOrThrow({ where: { ip: "127.0.5.4" } });
    const base = {
      serviceId: svc.id,
      hostId: h.id,
      software: "REDIS" as const,
      role: "MASTER" as const,
      version: "7.0.15",
      shardIndex: 1,
      maxmemoryMb: 1024,
      state: "RUNNING" as const,
      masterId: null,
      cpuCores: 1,
      memoryMb: 1200,
      diskGb: 2,
      bandwidthMbps: 10,
    };
    await expect(as(dba).services.createInstance({ ...base, port: 80 })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/port 80 is outside the REDIS range 6379–6999/),
    });
    const taken = await db.instance.findFirstOrThrow();
    await expect(as(dba).services.createInstance({ ...base, port: 6380 })).rejects.toMatchObject({
      code: "CONFLICT",
      message: `port 6380 on 127.0.5.4 is taken by instance ${taken.id}`,
    });
    expect(await db.instance.count()).toBe(1);
  });

  it("refuses a capacity below what the host already carries", async () => {
    const h = await db.host.findUniqueOrThrow({ where: { ip: "127.0.5.4" } });
    await expect(as(dba).hosts.update({ id: h.id, memoryMb: 512 })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: expect.stringMatching(/1200 MB of memory/),
    });
  });
});

describe("scoping and roles", () => {
  it("a BUSINESS user sees only their product lines and services, and is refused another's", async () => {
    const other = await as(dba).productLines.create({ code: "user-session", name: "Session", departmentId, importance: 2, description: "" });
    const otherSvc = await as(dba).services.create({
      name: "user-session-mc-01",
      productLineId: other.id,
      kind: "MEMCACHED",
      description: "",
      entryHost: null,
      entryPort: null,
    });
    const cart = await db.productLine.findUniqueOrThrow({ where: { code: "trade-cart" } });
    const biz = await makeActor(db, "BUSINESS", [cart.id]);
    expect((await as(biz).productLines.list({})).map((p) => p.code)).toEqual(["trade-cart"]);
    const services = await as(biz).services.list({ page: 1, pageSize: 50, sort: "name", dir: "asc" });
    expect(services.rows.map((s) => s.name)).toEqual(["trade-cart-redis-01"]);
    const instances = await as(biz).services.instances({ page: 1, pageSize: 50, sort: "host", dir: "asc" });
    expect(instances.rows.every((i) => i.service.productLine.code === "trade-cart")).toBe(true);
    await expect(as(biz).services.get({ id: otherSvc.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(as(biz).hosts.list({ selector: "", search: "", page: 1, pageSize: 10, sort: "ip", dir: "asc" })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("NOC reads everything and changes nothing", async () => {
    const noc = await makeActor(db, "NOC");
    expect((await as(noc).hosts.list({ selector: "", search: "", page: 1, pageSize: 10, sort: "ip", dir: "asc" })).total).toBeGreaterThan(0);
    await expect(as(noc).hosts.create(host("127.0.5.9"))).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringMatching(/needs the role DBA \/ ADMIN; you are NOC/),
    });
  });

  it("re-reads the role from the database: a demoted user loses access at once", async () => {
    const user = await makeActor(db, "DBA");
    await db.user.update({ where: { id: user.id }, data: { role: "BUSINESS" } });
    await expect(as(user).hosts.create(host("127.0.5.10"))).rejects.toMatchObject({ code: "FORBIDDEN" });
    await db.user.update({ where: { id: user.id }, data: { disabled: true } });
    await expect(as(user).me.get()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("an anonymous caller is UNAUTHORIZED", async () => {
    await expect(createCaller(createContext(null, db)).me.get()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("the last ADMIN cannot be demoted", async () => {
    const admin = await makeActor(db, "ADMIN");
    await expect(as(admin).admin.updateUser({ id: admin.id, role: "DBA" })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: expect.stringMatching(/last enabled ADMIN/),
    });
  });
});

describe("partial updates", () => {
  it("editing one field of a host keeps the others (facts, executor, labels)", async () => {
    const h = await as(dba).hosts.create({ ...host("127.0.5.20", { region: "cn-sh" }), facts: { os: "debian12" }, executor: "SSH" });
    await as(dba).hosts.update({ id: h.id, hostname: "renamed" });
    expect(await db.host.findUniqueOrThrow({ where: { id: h.id } })).toMatchObject({
      hostname: "renamed",
      facts: { os: "debian12" },
      executor: "SSH",
      labels: { region: "cn-sh" },
    });
  });

  it("editing a product line's importance keeps its description", async () => {
    const pl = await as(dba).productLines.create({ code: "goods-sku", name: "SKU", departmentId, importance: 2, description: "catalogue cache" });
    await as(dba).productLines.update({ id: pl.id, importance: 4 });
    expect(await db.productLine.findUniqueOrThrow({ where: { id: pl.id } })).toMatchObject({ importance: 4, description: "catalogue cache" });
  });

  it("sorts the host list by what the hosts carry", async () => {
    const page = await as(dba).hosts.list({ selector: "", search: "", page: 1, pageSize: 3, sort: "usedMemory", dir: "desc" });
    expect(page.rows[0]).toMatchObject({ ip: "127.0.5.4", usedMemoryMb: 1200, instances: 1 });
  });
});
