/**
 * The scheduler through its tRPC endpoints against a real (embedded) PostgreSQL holding the demo
 * fleet scaled to 10,000 hosts over 200 racks: inventory (cold and warm), 50 specs in one call,
 * placing and locking 1,000 instances with rack anti-affinity (real and dry run, with a breakdown),
 * and 100 concurrent lock requests followed by a verification of the database.
 * The in-memory figures are in scheduler-core.ts. Prints JSON lines only; never judges time.
 *   npx tsx bench/run.ts scheduler-api
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import superjson from "superjson";
import { Prisma } from "../generated/prisma/client";
import { appRouter, type AppRouter } from "../server/api/root";
import { createContext } from "../server/api/trpc";
import type { Db } from "../server/db/client";
import { LIVE_ALLOCATION, usageSql } from "../server/domain/inventory/usage";
import { buildSnapshot, placeShards, type PlacementRequest, type Spec } from "../server/domain/scheduler";
import { capacity, toConstraints, withProductLine, type CapacityQuery } from "../server/domain/scheduler/store/capacity";
import { fleetVersion, loadHostInputs, snapshotCacheFor } from "../server/domain/scheduler/store/fleet";
import { loadSchedulerSettings } from "../server/domain/scheduler/store/settings";
import { withScaledFleet } from "./fleet-db";
import { emit, percentiles, time } from "./lib";

export const name = "scheduler-api";
const HOSTS = 10_000;
const CAPACITY_RUNS = 300;
const SPECS_RUNS = 100;
const PLACE_RUNS = 10;
const CONCURRENT = 100;

const K8S_FLOOR = { basic_pods_per_s: 810, required_anti_affinity_pods_per_s: 60, nodes: 5000 };
const r3 = (n: number) => Math.round(n * 1000) / 1000;
const median = (xs: number[]) => percentiles(xs).p50_ms;

type Client = ReturnType<typeof createTRPCClient<AppRouter>>;

export async function run() {
  await withScaledFleet(HOSTS, async (db) => {
    const dba = await db.user.findFirstOrThrow({ where: { role: "DBA" } });
    const server = http.createServer(createHTTPHandler({ router: appRouter, createContext: () => createContext(dba.id, db) }));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client: Client = createTRPCClient<AppRouter>({ links: [httpLink({ url, transformer: superjson })] });
    try {
      const fleet = await describeFleet(db);
      await inventory(db, client, fleet);
      await placement(db, client, fleet);
      await concurrentLocks(db, client);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
}

type Fleet = { hosts: number; racks: number; dedicatedEmptyOnline: number; racksWithThem: number; departmentId: number; serviceId: number };

async function describeFleet(db: Db): Promise<Fleet> {
  const [row] = await db.$queryRaw<{ hosts: number; racks: number; ded: number; dedracks: number }[]>`
    SELECT (SELECT count(*)::int FROM "Host") AS hosts,
           (SELECT count(DISTINCT "rackId")::int FROM "Host") AS racks,
           count(*)::int AS ded, count(DISTINCT h."rackId")::int AS dedracks
    FROM "Host" h
    WHERE h."tier" = 'DEDICATED' AND h."status" = 'ONLINE'
      AND NOT EXISTS (SELECT 1 FROM "Instance" i WHERE i."hostId" = h."id")`;
  const department = await db.department.findFirstOrThrow({ where: { code: "data" } });
  const service = await db.service.findFirstOrThrow({ orderBy: { id: "asc" } });
  return {
    hosts: row!.hosts,
    racks: row!.racks,
    dedicatedEmptyOnline: row!.ded,
    racksWithThem: row!.dedracks,
    departmentId: department.id,
    serviceId: service.id,
  };
}

// ───────────────────────────── inventory ─────────────────────────────

async function inventory(db: Db, client: Client, fleet: Fleet) {
  const input = {
    spec: { cpuCores: 2, memoryMb: 8192, diskGb: 50, bandwidthMbps: 200 },
    selector: "region in (cn-sh,cn-bj),env=prod",
    importance: 4, // 4★: DEDICATED hosts, copies on different racks
    replicas: 2,
    hostCap: { serviceId: fleet.serviceId, maxPerHost: 2 },
  };
  const versionBefore = await fleetVersion(db);
  let first!: Awaited<ReturnType<Client["scheduler"]["capacity"]["query"]>>;
  const coldMs = await time(async () => (first = await client.scheduler.capacity.query(input)));
  for (let i = 0; i < 10; i++) await client.scheduler.capacity.query(input);
  const samples: number[] = [];
  for (let i = 0; i < CAPACITY_RUNS; i++) samples.push(await time(() => client.scheduler.capacity.query(input)));
  // Where a warm call's time goes: the same domain function without HTTP, and a near-empty tRPC call.
  const capacityQuery: CapacityQuery = { ...input, idcIds: null, productLineId: null, departmentId: null, crossIdc: false };
  const inProcess: number[] = [];
  for (let i = 0; i < CAPACITY_RUNS; i++) inProcess.push(await time(() => capacity(db, db, capacityQuery)));
  const noop: number[] = [];
  for (let i = 0; i < CAPACITY_RUNS; i++) noop.push(await time(() => client.scheduler.settings.query()));
  const base = {
    name: "scheduler.capacity.trpc",
    hosts: fleet.hosts,
    racks: fleet.racks,
    selector: input.selector,
    importance: 4,
    anti_affinity: first.antiAffinity,
    host_cap: input.hostCap.maxPerHost,
    hosts_considered: first.hostsConsidered,
    hosts_with_room: first.hostsWithRoom,
    instances: first.instances,
    shards: first.shards,
  };
  emit({ ...base, case: "cold (first call builds the snapshot)", cold_ms: r3(coldMs), fleet_version: Number(versionBefore) });
  emit({
    ...base,
    case: "warm cache",
    ...percentiles(samples),
    target_p99_ms: 10,
    same_call_in_process: percentiles(inProcess),
    trpc_noop_roundtrip: { what: "scheduler.settings: auth + one row", ...percentiles(noop) },
  });

  // 50 specs in one call, same constraints.
  const specs: Spec[] = Array.from({ length: 50 }, (_, i) => ({
    cpuCores: [0.5, 1, 2, 4, 8][i % 5]!,
    memoryMb: 1024 * (1 + i),
    diskGb: 10 * (1 + (i % 10)),
    bandwidthMbps: 100 * (1 + (i % 7)),
  }));
  const { spec: _spec, ...constraints } = input;
  const many = { ...constraints, specs };
  const answer = await client.scheduler.capacityForSpecs.query(many);
  for (let i = 0; i < 10; i++) await client.scheduler.capacityForSpecs.query(many);
  const manySamples: number[] = [];
  for (let i = 0; i < SPECS_RUNS; i++) manySamples.push(await time(() => client.scheduler.capacityForSpecs.query(many)));
  emit({
    name: "scheduler.capacity_for_specs.trpc",
    case: "50 specs, label filter + per-host cap + rack spread, warm cache",
    hosts: fleet.hosts,
    specs: specs.length,
    instances_first_spec: answer[0]!.instances,
    instances_last_spec: answer[answer.length - 1]!.instances,
    ...percentiles(manySamples),
    per_spec_p50_ms: r3(median(manySamples) / specs.length),
  });
}

// ───────────────────────────── placement ─────────────────────────────

const PLACE_SPEC: Spec = { cpuCores: 1, memoryMb: 4096, diskGb: 20, bandwidthMbps: 100 };
const SHARDS = 500;
const REPLICAS = 2;

async function placement(db: Db, client: Client, fleet: Fleet) {
  // A fresh 4★ product line: only DEDICATED hosts nobody else uses, copies of a shard on different racks.
  const line = await db.productLine.create({
    data: { code: "bench-sched-4star", name: "bench 4★", departmentId: fleet.departmentId, importance: 4 },
  });
  const input = {
    spec: PLACE_SPEC,
    productLineId: line.id,
    replicas: REPLICAS,
    shards: SHARDS,
    strategy: "spread" as const,
    software: "REDIS" as const,
    purpose: "bench: 500 shards x 2 replicas",
    ttlSeconds: 900,
  };
  const real = { ...input, dryRun: false };
  const dry = { ...input, dryRun: true };
  const instances = SHARDS * REPLICAS;

  // Warm-up, and a check of the result: copies of a shard never share a rack.
  const v0 = await fleetVersion(db);
  const warm = await client.scheduler.place.mutate(real);
  const rackClash = rackClashes(warm.items);
  const hostsUsed = new Set(warm.items.map((i) => i.hostId)).size;
  const racksUsed = new Set(warm.items.map((i) => `${i.idc}/${i.rack}`)).size;
  const vAfterPlace = await fleetVersion(db);
  await client.scheduler.release.mutate({ id: warm.allocationId! });
  const vAfterRelease = await fleetVersion(db);

  // A: as it happens in use — right after the previous release (which applied itself to the cached snapshot).
  const stale: number[] = [];
  const releases: number[] = [];
  for (let i = 0; i < PLACE_RUNS; i++) {
    let id = "";
    stale.push(await time(async () => (id = (await client.scheduler.place.mutate(real)).allocationId!)));
    releases.push(await time(() => client.scheduler.release.mutate({ id })));
  }

  // B: the snapshot warmed first (by an inventory call through tRPC, which is itself the
  // "first call after a write" figure), so the placement is the in-memory plan plus the database.
  const warmPlace: number[] = [];
  const capacityAfterWrite: number[] = [];
  const capQuery = { spec: PLACE_SPEC, productLineId: line.id, replicas: REPLICAS };
  for (let i = 0; i < PLACE_RUNS; i++) {
    capacityAfterWrite.push(await time(() => client.scheduler.capacity.query(capQuery)));
    let id = "";
    warmPlace.push(await time(async () => (id = (await client.scheduler.place.mutate(real)).allocationId!)));
    await client.scheduler.release.mutate({ id });
  }

  // The parts: snapshot rebuild (load + compile), the in-memory plan, the rest (HTTP, reads, writes).
  const loads: number[] = [];
  const builds: number[] = [];
  for (let i = 0; i < 5; i++) {
    let hosts!: Awaited<ReturnType<typeof loadHostInputs>>;
    loads.push(await time(async () => (hosts = await loadHostInputs(db))));
    builds.push(await time(() => buildSnapshot(hosts)));
  }
  const snapshot = await snapshotCacheFor(db).get(db);
  const settings = await loadSchedulerSettings(db);
  const q: CapacityQuery = {
    spec: PLACE_SPEC,
    idcIds: null,
    selector: "",
    importance: 2,
    productLineId: line.id,
    departmentId: null,
    replicas: REPLICAS,
    crossIdc: false,
    hostCap: null,
  };
  const { labelKeys: _keys, ...constraints } = toConstraints(await withProductLine(db, q));
  const request: PlacementRequest = { ...constraints, spec: PLACE_SPEC, shards: SHARDS, strategy: "spread", preferredIdcId: null };
  const plans: number[] = [];
  for (let i = 0; i < PLACE_RUNS; i++) plans.push(await time(() => placeShards(snapshot, request, settings)));
  const noop: number[] = [];
  for (let i = 0; i < 20; i++) noop.push(await time(() => client.scheduler.settings.query()));

  const staleP50 = median(stale);
  const warmP50 = median(warmPlace);
  const planP50 = median(plans);
  const rebuildP50 = median(loads) + median(builds);
  emit({
    name: "scheduler.place.trpc",
    case: "lock 500 shards x 2 replicas, 4★ (DEDICATED, hard rack anti-affinity), dryRun false, as in use: right after the previous release",
    hosts: fleet.hosts,
    racks: fleet.racks,
    dedicated_empty_online_hosts: fleet.dedicatedEmptyOnline,
    dedicated_racks: fleet.racksWithThem,
    instances,
    hosts_used: hostsUsed,
    racks_used: racksUsed,
    shards_with_copies_on_one_rack: rackClash,
    ...percentiles(stale),
    instances_per_s: Math.round(instances / (staleP50 / 1000)),
    k8s_floor: K8S_FLOOR,
    target_ms: 200,
  });
  emit({
    name: "scheduler.place.trpc",
    case: "same placement, snapshot warmed first (no rebuild inside the lock)",
    instances,
    ...percentiles(warmPlace),
    instances_per_s: Math.round(instances / (warmP50 / 1000)),
    breakdown_p50_ms: {
      in_memory_plan: r3(planP50),
      db_and_http: r3(warmP50 - planP50),
      trpc_roundtrip_noop: r3(median(noop)),
    },
    target_ms: 200,
  });
  emit({
    name: "scheduler.place.breakdown",
    case: "p50 parts of the as-in-use placement (no rebuild: placements and releases apply themselves to the cached snapshot)",
    total_ms: r3(staleP50),
    snapshot_rebuild_avoided_ms: r3(rebuildP50),
    snapshot_load_sql_ms: r3(median(loads)),
    snapshot_compile_ms: r3(median(builds)),
    in_memory_plan_ms: r3(planP50),
    db_reads_writes_and_http_ms: r3(staleP50 - planP50),
    release_p50_ms: r3(median(releases)),
    fleet_version_moves: { by_one_place: Number(vAfterPlace - v0), by_one_release: Number(vAfterRelease - vAfterPlace) },
  });
  emit({
    name: "scheduler.capacity.trpc",
    case: "first inventory call after a release (the release applied itself to the cached snapshot: no rebuild)",
    ...percentiles(capacityAfterWrite),
    target_ms: 20,
  });

  // Dry run of the same placement: same steps, rolled back; it does not move FleetVersion.
  const dryFirst = await time(() => client.scheduler.place.mutate(dry));
  const drySamples: number[] = [];
  let dryItems = 0;
  for (let i = 0; i < PLACE_RUNS; i++) drySamples.push(await time(async () => (dryItems = (await client.scheduler.place.mutate(dry)).items.length)));
  emit({
    name: "scheduler.place.trpc",
    case: "same placement, dryRun true (rolled back)",
    instances: dryItems,
    first_after_write_ms: r3(dryFirst),
    ...percentiles(drySamples),
    instances_per_s: Math.round(dryItems / (median(drySamples) / 1000)),
  });
}

function rackClashes(items: { shardIndex: number; rack: string; idc: string }[]): number {
  const seen = new Map<number, Set<string>>();
  let clashes = 0;
  for (const it of items) {
    const racks = seen.get(it.shardIndex) ?? new Set<string>();
    const key = `${it.idc}/${it.rack}`;
    if (racks.has(key)) clashes++;
    racks.add(key);
    seen.set(it.shardIndex, racks);
  }
  return clashes;
}

// ───────────────────────────── 100 concurrent locks ─────────────────────────────

async function concurrentLocks(db: Db, client: Client) {
  // Two fresh 4★ lines compete for a small pool (DEDICATED r5 hosts in cn-gz) so that some requests
  // must be refused, and a dedicated host taken by one line must stay closed to the other.
  const dept = await db.department.findFirstOrThrow({ where: { code: "trade" } });
  const lines = await Promise.all(
    ["a", "b"].map((x) => db.productLine.create({ data: { code: `bench-conc-${x}`, name: `bench concurrent ${x}`, departmentId: dept.id, importance: 4 } })),
  );
  const spec: Spec = { cpuCores: 4, memoryMb: 32768, diskGb: 200, bandwidthMbps: 500 };
  const selector = "region=cn-gz,model=r5";
  const cap = await client.scheduler.capacity.query({ spec, selector, productLineId: lines[0]!.id, replicas: 2 });
  const shardsEach = Math.max(1, Math.ceil(cap.shards / 50)); // roughly twice the demand the pool can hold
  const purpose = "bench: concurrent lock";

  const before = await verify(db, purpose);
  const outcome = { successes: 0, refusals: 0, conflicts: 0, retries: 0, other_errors: 0 };
  const errors: string[] = [];
  const latencies: number[] = [];
  const t0 = performance.now();
  let lastSuccess = 0;
  await Promise.all(
    Array.from({ length: CONCURRENT }, async (_, i) => {
      const started = performance.now();
      try {
        const res = await client.scheduler.place.mutate({
          spec,
          selector,
          productLineId: lines[i % 2]!.id,
          replicas: 2,
          shards: shardsEach,
          software: "REDIS",
          purpose,
          ttlSeconds: 900,
          dryRun: false,
        });
        if (res.items.length !== shardsEach * 2) errors.push(`request ${i}: ${res.items.length} items`);
        outcome.successes++;
        lastSuccess = Math.max(lastSuccess, performance.now() - t0);
      } catch (e) {
        const code = e instanceof TRPCClientError ? (e.data as { code?: string } | undefined)?.code : undefined;
        const msg = e instanceof Error ? e.message : String(e);
        if (code === "CONFLICT" || /P2002|unique/i.test(msg)) outcome.conflicts++;
        else if (code === "BAD_REQUEST" && /fit/.test(msg)) outcome.refusals++;
        else {
          outcome.other_errors++;
          if (errors.length < 3) errors.push(`${code ?? "?"}: ${msg.slice(0, 160)}`);
        }
      } finally {
        latencies.push(performance.now() - started);
      }
    }),
  );
  const wallMs = performance.now() - t0;
  const after = await verify(db, purpose);

  emit({
    name: "scheduler.place.concurrent",
    case: `${CONCURRENT} concurrent lock requests through tRPC (2 product lines of 4★, ${shardsEach} shards x 2 each, pool of ${cap.shards} shards for one line alone)`,
    requests: CONCURRENT,
    db_pool: 10,
    ...outcome,
    retries_note: "place never retries and the client does not either; placements serialize on an advisory lock",
    wall_ms: r3(wallMs),
    request_latency: percentiles(latencies),
    locks_per_s: Math.round(outcome.successes / (wallMs / 1000)),
    // one at a time under the lock, FIFO so the successes come first: approx. what each costs while holding it
    serial_ms_per_success: outcome.successes ? r3(lastSuccess / outcome.successes) : null,
    serial_ms_per_refusal: outcome.refusals ? r3((wallMs - lastSuccess) / outcome.refusals) : null,
    errors_sample: errors,
  });
  const live = after.testAllocations;
  const expectedItems = outcome.successes * shardsEach * 2;
  emit({
    name: "scheduler.place.concurrent.verify",
    duplicate_port_claims: after.dupClaims,
    duplicate_live_host_port: after.dupLive - before.dupLive,
    overcommitted_hosts_before: before.overcommitted,
    overcommitted_hosts_after: after.overcommitted,
    overcommitted_hosts_carrying_test_locks: after.overcommittedTest,
    dedicated_hosts_with_two_lines_before: before.dedicatedShared,
    dedicated_hosts_with_two_lines_after: after.dedicatedShared,
    shards_with_copies_on_one_rack: after.rackClashes,
    allocations_written: live,
    allocations_expected: outcome.successes,
    items_written: after.testItems,
    items_expected: expectedItems,
    port_claims_of_test_items: after.testClaims,
    live_items_without_port_claim: after.unclaimed - before.unclaimed,
    lock_audit_entries_added: after.lockAudits - before.lockAudits,
    ok:
      after.dupClaims === 0 &&
      after.dupLive === before.dupLive &&
      after.overcommittedTest === 0 &&
      after.dedicatedShared === before.dedicatedShared &&
      after.rackClashes === 0 &&
      live === outcome.successes &&
      after.testItems === expectedItems &&
      after.testClaims === expectedItems &&
      after.unclaimed === before.unclaimed &&
      after.lockAudits - before.lockAudits === outcome.successes,
  });
}

/** What the database holds, from the same usage SQL the app uses. */
async function verify(db: Db, purpose: string) {
  const one = async (sql: Prisma.Sql) => Number((await db.$queryRaw<{ n: bigint | number }[]>(sql))[0]?.n ?? 0);
  const testItems = Prisma.sql`
    SELECT a."id", a."hostId", a."allocationId", a."shardIndex" FROM "AllocationItem" a JOIN "Allocation" al ON al."id" = a."allocationId"
    WHERE al."purpose" = ${purpose} AND ${LIVE_ALLOCATION}`;
  return {
    dupClaims: await one(Prisma.sql`SELECT count(*) AS n FROM (SELECT 1 FROM "PortClaim" GROUP BY "hostId", "port" HAVING count(*) > 1) x`),
    dupLive: await one(Prisma.sql`
      SELECT count(*) AS n FROM (
        SELECT "hostId", "port" FROM (
          SELECT i."hostId", i."port" FROM "Instance" i
          UNION ALL
          SELECT a."hostId", a."port" FROM "AllocationItem" a JOIN "Allocation" al ON al."id" = a."allocationId"
          WHERE ${LIVE_ALLOCATION}
            AND NOT EXISTS (SELECT 1 FROM "PortClaim" c WHERE c."allocationItemId" = a."id" AND c."instanceId" IS NOT NULL)
        ) x GROUP BY 1, 2 HAVING count(*) > 1) y`),
    overcommitted: await one(Prisma.sql`
      SELECT count(*) AS n FROM (${usageSql(null)}) u JOIN "Host" h ON h."id" = u."hostId"
      WHERE u.cpu > h."cpuCores" + 1e-9 OR u.mem > h."memoryMb" OR u.disk > h."diskGb" OR u.bw > h."bandwidthMbps"`),
    overcommittedTest: await one(Prisma.sql`
      SELECT count(*) AS n FROM (${usageSql(null)}) u JOIN "Host" h ON h."id" = u."hostId"
      WHERE (u.cpu > h."cpuCores" + 1e-9 OR u.mem > h."memoryMb" OR u.disk > h."diskGb" OR u.bw > h."bandwidthMbps")
        AND h."id" IN (SELECT "hostId" FROM (${testItems}) t)`),
    dedicatedShared: await one(Prisma.sql`
      SELECT count(*) AS n FROM (
        SELECT x."hostId" FROM (
          SELECT i."hostId", s."productLineId" FROM "Instance" i JOIN "Service" s ON s."id" = i."serviceId"
          UNION
          SELECT a."hostId", al."productLineId" FROM "AllocationItem" a JOIN "Allocation" al ON al."id" = a."allocationId"
          WHERE al."productLineId" IS NOT NULL AND ${LIVE_ALLOCATION}
        ) x JOIN "Host" h ON h."id" = x."hostId" WHERE h."tier" = 'DEDICATED'
        GROUP BY 1 HAVING count(DISTINCT x."productLineId") > 1) y`),
    rackClashes: await one(Prisma.sql`
      SELECT count(*) AS n FROM (
        SELECT 1 FROM (${testItems}) t JOIN "Host" h ON h."id" = t."hostId"
        GROUP BY t."allocationId", t."shardIndex", h."rackId" HAVING count(*) > 1) y`),
    testAllocations: await one(Prisma.sql`SELECT count(*) AS n FROM "Allocation" al WHERE al."purpose" = ${purpose}`),
    testItems: await one(
      Prisma.sql`SELECT count(*) AS n FROM "AllocationItem" a JOIN "Allocation" al ON al."id" = a."allocationId" WHERE al."purpose" = ${purpose}`,
    ),
    testClaims: await one(Prisma.sql`SELECT count(*) AS n FROM "PortClaim" c WHERE c."allocationItemId" IN (SELECT "id" FROM (${testItems}) t)`),
    unclaimed: await one(Prisma.sql`
      SELECT count(*) AS n FROM "AllocationItem" a JOIN "Allocation" al ON al."id" = a."allocationId"
      WHERE ${LIVE_ALLOCATION} AND NOT EXISTS (SELECT 1 FROM "PortClaim" c WHERE c."allocationItemId" = a."id")`),
    lockAudits: await one(Prisma.sql`SELECT count(*) AS n FROM "AuditEntry" WHERE "action" = 'allocation.lock'`),
  };
}
