import { english } from "../../i18n/load";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db/client";
import { ensureSettingsAndRanges } from "../../server/db/seed";
import type { Actor } from "../../server/domain/access/actor";
import type { RequestForm } from "../../server/domain/provisioning/request-schema";
import type { Plan } from "../../server/domain/provisioning/sizing";
import { previewApproval } from "../../server/domain/requests/approval";
import { approveRequest, createRequest } from "../../server/domain/requests/requests";
import { freshDatabase, makeActor } from "./db";
import { createDemoHosts } from "./demo-fleet";

/** The DBA's side of approving: where the plan would go, and changing it before saying yes. No processes run here. */
let db: Db;
let biz: Actor;
let dba: Actor;
let form: RequestForm;
const dispatched: string[] = [];
const dispatch = async (id: string) => void dispatched.push(id);

beforeAll(async () => {
  ({ db } = await freshDatabase());
  await ensureSettingsAndRanges(db);
  const dept = await db.department.create({ data: { code: "trade", name: "Trade" } });
  const line = await db.productLine.create({ data: { code: "trade-order", name: "Order", departmentId: dept.id, importance: 3 } });
  biz = await makeActor(db, "BUSINESS", [line.id]);
  dba = await makeActor(db, "DBA");
  await createDemoHosts(db, { prefix: "127.0.15", idcCode: "a1", departmentId: dept.id });
  form = {
    productLineId: line.id,
    kind: "REDIS_TWEMPROXY",
    purpose: "order cache behind proxies",
    capacityGb: 20,
    peakQps: 100_000,
    expectedKeys: 50_000_000,
    persistence: "none",
    highAvailability: true,
    idcPreference: null,
    readRatio: 80,
  };
});

const submit = () => db.$transaction((tx) => createRequest(tx, biz, form, true));

describe("approving a request", () => {
  it("shows where a dry run of the scheduler would put every copy, and locks nothing", async () => {
    const r = await submit();
    const preview = await previewApproval(db, dba, r.id, {});
    expect(preview.adjusted).toBe(false);
    if (!preview.placement.fits) throw new Error(english(preview.placement.refusal));
    const plan = r.plan as unknown as Plan;
    const redis = preview.placement.groups.find((g) => g.role === "MASTER")!;
    expect(redis.items).toHaveLength(plan.shards * plan.replicas);
    // a shard's copies on different hosts, each with a port
    for (let shard = 0; shard < plan.shards; shard++) {
      const copies = redis.items.filter((i) => i.shardIndex === shard);
      expect(new Set(copies.map((c) => c.ip)).size).toBe(copies.length);
      expect(copies.every((c) => c.port >= 1024 && c.ip.startsWith("127.0.15."))).toBe(true);
    }
    expect(preview.placement.groups.find((g) => g.role === "PROXY")!.items).toHaveLength(plan.proxies);
    expect(await db.allocation.count()).toBe(0);
    expect(await db.portClaim.count()).toBe(0);
  });

  it("says in words when the plan would not fit, instead of failing", async () => {
    const r = await submit();
    // 30 GB per shard with its overhead is more than any of these 32 GB hosts has
    const preview = await previewApproval(db, dba, r.id, { perShardMemoryMb: 30_000 });
    expect(preview.placement.fits).toBe(false);
    expect(!preview.placement.fits && english(preview.placement.refusal)).toMatch(/memory/);
  });

  it("approves an adjusted plan: the request keeps it, the audit says so, the job deploys it", async () => {
    const r = await submit();
    const proposed = r.plan as unknown as Plan;
    const job = await approveRequest(db, dba, r.id, "one more shard for the sale", dispatch, { shards: proposed.shards + 1, proxies: 3 });
    const stored = (await db.resourceRequest.findUniqueOrThrow({ where: { id: r.id } })).plan as unknown as Plan;
    expect(stored).toMatchObject({ shards: proposed.shards + 1, proxies: 3 });
    expect(stored.reasons.map((t) => english(t))).toContain(`Adjusted by the DBA: shards ${proposed.shards} → ${proposed.shards + 1}.`);
    expect(dispatched).toContain(job.id);
    const audit = await db.auditEntry.findFirstOrThrow({ where: { action: "request.approve", entityId: String(r.id) } });
    expect(JSON.stringify(audit.after)).toContain(`"shards":${proposed.shards + 1}`);
  });

  it("refuses an adjustment the topology cannot be, and the request stays waiting", async () => {
    const r = await submit();
    await expect(approveRequest(db, dba, r.id, null, dispatch, { perShardMemoryMb: 128 })).rejects.toMatchObject({
      kind: "BAD_INPUT",
      message: expect.stringMatching(/less than the .* of data asked: raise the shards or the memory per shard/),
    });
    expect((await db.resourceRequest.findUniqueOrThrow({ where: { id: r.id } })).status).toBe("SUBMITTED");
    expect(await db.job.count({ where: { requestId: r.id } })).toBe(0);
  });
});
