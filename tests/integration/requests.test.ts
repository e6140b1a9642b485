import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db/client";
import type { Actor } from "../../server/domain/access/actor";
import type { RequestForm } from "../../server/domain/provisioning/request-schema";
import { approveRequest, createRequest, getRequest, listRequests, rejectRequest, simpleMove } from "../../server/domain/requests/requests";
import { freshDatabase, makeActor } from "./db";

let db: Db;
let biz: Actor;
let otherBiz: Actor;
let dba: Actor;
let dba2: Actor;
let form: RequestForm;
const dispatched: string[] = [];
const dispatch = async (id: string) => void dispatched.push(id);

beforeAll(async () => {
  ({ db } = await freshDatabase());
  const dept = await db.department.create({ data: { code: "trade", name: "Trade" } });
  const cart = await db.productLine.create({ data: { code: "trade-cart", name: "Cart", departmentId: dept.id, importance: 3 } });
  const other = await db.productLine.create({ data: { code: "trade-pay", name: "Pay", departmentId: dept.id, importance: 5 } });
  biz = await makeActor(db, "BUSINESS", [cart.id]);
  otherBiz = await makeActor(db, "BUSINESS", [other.id]);
  dba = await makeActor(db, "DBA");
  dba2 = await makeActor(db, "DBA");
  form = {
    productLineId: cart.id,
    kind: "REDIS_SENTINEL",
    purpose: "shopping cart sessions for the web shop",
    capacityGb: 4,
    peakQps: 20000,
    expectedKeys: 1_000_000,
    persistence: "rdb",
    highAvailability: true,
    idcPreference: null,
    readRatio: 80,
  };
});

describe("requests", () => {
  it("a business user files a request for their line; Hedwig sizes it and says why", async () => {
    const r = await db.$transaction((tx) => createRequest(tx, biz, form, true));
    expect(r.status).toBe("SUBMITTED");
    const plan = r.plan as { shards: number; replicas: number; sentinels: number; reasons: string[] };
    expect(plan).toMatchObject({ shards: 1, replicas: 2, sentinels: 3 });
    expect(plan.reasons.length).toBeGreaterThan(2);
    expect(await db.auditEntry.count({ where: { action: "request.submit" } })).toBe(1);
  });

  it("refuses a request for a line the user is not a member of", async () => {
    await expect(db.$transaction((tx) => createRequest(tx, otherBiz, form, true))).rejects.toMatchObject({ kind: "FORBIDDEN" });
  });

  it("scopes the list: the other team does not see it; the DBA queue does", async () => {
    expect((await listRequests(db, otherBiz, { page: 1, pageSize: 10 })).total).toBe(0);
    expect((await listRequests(db, dba, { status: "SUBMITTED", page: 1, pageSize: 10 })).total).toBe(1);
    await expect(getRequest(db, otherBiz, (await db.resourceRequest.findFirstOrThrow()).id)).rejects.toMatchObject({ kind: "FORBIDDEN" });
  });

  it("a business user cannot approve; two DBAs approving at once deploy once", async () => {
    const r = await db.resourceRequest.findFirstOrThrow();
    await expect(approveRequest(db, biz, r.id, null, dispatch)).rejects.toMatchObject({
      kind: "FORBIDDEN",
      message: expect.stringMatching(/only a DBA can approve/),
    });
    const both = await Promise.allSettled([approveRequest(db, dba, r.id, "ok", dispatch), approveRequest(db, dba2, r.id, "ok", dispatch)]);
    expect(both.filter((x) => x.status === "fulfilled")).toHaveLength(1);
    const refused = both.find((x) => x.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason.message).toMatch(/an approved request cannot be approved/);
    expect(await db.job.count({ where: { requestId: r.id } })).toBe(1);
    expect(dispatched).toHaveLength(1);
    const detail = await getRequest(db, dba, r.id);
    expect(detail).toMatchObject({ status: "APPROVED", decisionComment: "ok" });
    expect(detail.actions).toContain("cancel");
  });

  it("a rejection carries its comment back to the requester", async () => {
    const r = await db.$transaction((tx) => createRequest(tx, biz, { ...form, purpose: "a second cache for the cart page" }, true));
    await rejectRequest(db, dba, r.id, "use the existing cart cache");
    expect(await db.notification.findFirstOrThrow({ where: { userId: biz.id } })).toMatchObject({
      title: `Request #${r.id} was rejected`,
      body: "use the existing cart cache",
    });
    await expect(simpleMove(db, biz, r.id, "submit")).rejects.toMatchObject({
      kind: "BAD_INPUT",
      message: expect.stringMatching(/a rejected request cannot be submitted/),
    });
  });

  it("a draft can be submitted, withdrawn and cancelled by its requester", async () => {
    const r = await db.$transaction((tx) => createRequest(tx, biz, { ...form, purpose: "a draft to try the workflow" }, false));
    expect((await simpleMove(db, biz, r.id, "submit")).status).toBe("SUBMITTED");
    expect((await simpleMove(db, biz, r.id, "withdraw")).status).toBe("DRAFT");
    expect((await simpleMove(db, biz, r.id, "cancel")).status).toBe("CANCELLED");
  });
});

describe("sizing rules", () => {
  it("are a setting a DBA changes through the API, and new plans follow them", async () => {
    const { createCaller } = await import("../../server/api/root");
    const { createContext } = await import("../../server/api/trpc");
    const asDba = createCaller(createContext(dba.id, db));
    const before = await asDba.requests.preview({ ...form, capacityGb: 30, kind: "REDIS_TWEMPROXY", highAvailability: true });
    await asDba.requests.saveSizingSettings({ redisMaxShardMemoryGb: 4 });
    const after = await asDba.requests.preview({ ...form, capacityGb: 30, kind: "REDIS_TWEMPROXY", highAvailability: true });
    expect(after.shards).toBeGreaterThan(before.shards);
    const { english } = await import("../../i18n/load");
    expect(after.reasons.map(english).join(" ")).toMatch(/redisMaxShardMemoryGb/);
    await expect(asDba.requests.saveSizingSettings({ headroom: 0.5 })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/headroom = 0.5 is not valid/),
    });
    await expect(asDba.requests.saveSizingSettings({ nonsense: 1 } as never)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const asBiz = createCaller(createContext(biz.id, db));
    await expect(asBiz.requests.saveSizingSettings({ headroom: 2 })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await asDba.requests.saveSizingSettings({ redisMaxShardMemoryGb: 12 });
  });
});
