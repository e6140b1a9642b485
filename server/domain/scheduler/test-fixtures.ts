import fc from "fast-check";
import type { LabelRequirement } from "../inventory/label-selector";
import { resolveSettings, type SchedulerSettings } from "./settings";
import type { HostInput, PlacementQuery, Resources, Spec, UsageTier } from "./types";

/** Shared by the scheduler tests only. */

export const NONE: Resources = { cpuCores: 0, memoryMb: 0, diskGb: 0, bandwidthMbps: 0 };
export const BIG: Resources = { cpuCores: 16, memoryMb: 65536, diskGb: 1000, bandwidthMbps: 10000 };

export function host(id: number, over: Partial<HostInput> = {}): HostInput {
  return {
    id,
    ip: `10.0.0.${id}`,
    rackId: 1,
    idcId: 1,
    status: "ONLINE",
    tier: "MIXED",
    departmentId: null,
    labels: {},
    capacity: BIG,
    used: NONE,
    productLineIds: [],
    serviceCounts: {},
    usedPorts: [],
    ...over,
  };
}

export const spec = (over: Partial<Spec> = {}): Spec => ({ cpuCores: 1, memoryMb: 4096, diskGb: 10, bandwidthMbps: 100, ...over });

export const query = (over: Partial<PlacementQuery> = {}): PlacementQuery => ({
  spec: spec(),
  importance: 1,
  productLineId: 1,
  departmentId: 1,
  replicas: 1,
  ...over,
});

/** `count` hosts spread round-robin over `racks` racks (rack r in IDC idcOf(r)). */
export function rackedHosts(count: number, racks: number, idcOf = (_rack: number) => 1, over: Partial<HostInput> = {}): HostInput[] {
  return Array.from({ length: count }, (_, i) => host(i + 1, { rackId: (i % racks) + 1, idcId: idcOf((i % racks) + 1), ...over }));
}

// ─── random clusters for the property tests ───

const TIERS: UsageTier[] = ["DEDICATED", "MIXED_DEPARTMENT", "MIXED"];
const LABEL_POOL: Record<string, string[]> = { region: ["sh", "bj"], model: ["e6", "e7", "c5"], ssd: ["true"], env: ["prod", "test"] };
const SELECTOR_POOL: LabelRequirement[] = [
  { key: "region", op: "eq", value: "sh" },
  { key: "model", op: "in", values: ["e6", "e7"] },
  { key: "env", op: "neq", value: "test" },
  { key: "model", op: "notin", values: ["c5"] },
  { key: "ssd", op: "exists" },
  { key: "ssd", op: "notexists" },
  { key: "gpu", op: "notexists" },
  { key: "gpu", op: "eq", value: "a100" },
];

const resourcesArb = (cpu: number[], mem: number[], disk: number[], bw: number[]) =>
  fc.record({ cpuCores: fc.constantFrom(...cpu), memoryMb: fc.constantFrom(...mem), diskGb: fc.constantFrom(...disk), bandwidthMbps: fc.constantFrom(...bw) });

const hostArb = (id: number, racks: { rackId: number; idcId: number }[]) =>
  fc
    .record({
      rack: fc.constantFrom(...racks),
      status: fc.oneof({ weight: 6, arbitrary: fc.constant("ONLINE") }, { weight: 1, arbitrary: fc.constantFrom("MAINTENANCE", "OFFLINE", "LOCKED") }),
      tier: fc.constantFrom(...TIERS),
      departmentId: fc.constantFrom(1, 2, null),
      labels: fc.record(Object.fromEntries(Object.entries(LABEL_POOL).map(([k, vs]) => [k, fc.constantFrom(...vs)])) as Record<string, fc.Arbitrary<string>>, {
        requiredKeys: [],
      }),
      capacity: resourcesArb([2, 4, 8.5, 16], [4096, 8192, 16384, 32768], [100, 500], [1000, 10000]),
      // used as a share of capacity, above 1 sometimes (overcommitted); CPU in tenths summed as floats
      usedShare: fc.record({
        cpu: fc.integer({ min: 0, max: 12 }),
        mem: fc.double({ min: 0, max: 1.05, noNaN: true }),
        disk: fc.double({ min: 0, max: 1, noNaN: true }),
        bw: fc.double({ min: 0, max: 1, noNaN: true }),
      }),
      productLineIds: fc.subarray([1, 2, 3]),
      capped: fc.integer({ min: 0, max: 3 }),
      fitsRequester: fc.integer({ min: 0, max: 9 }),
    })
    .map((r): HostInput & { fitsRequester: number } => {
      let cpu = 0;
      for (let i = 0; i < r.usedShare.cpu; i++) cpu += 0.1 * r.capacity.cpuCores;
      const h = host(id, {
        rackId: r.rack.rackId,
        idcId: r.rack.idcId,
        status: r.status as HostInput["status"],
        tier: r.tier,
        departmentId: r.departmentId,
        labels: r.labels as Record<string, string>,
        capacity: r.capacity,
        used: {
          cpuCores: Math.round(cpu * 10) / 10,
          memoryMb: Math.floor(r.capacity.memoryMb * r.usedShare.mem),
          diskGb: Math.floor(r.capacity.diskGb * r.usedShare.disk),
          bandwidthMbps: Math.floor(r.capacity.bandwidthMbps * r.usedShare.bw),
        },
        productLineIds: r.productLineIds,
        serviceCounts: r.capped ? { 7: r.capped } : {},
      });
      return { ...h, fitsRequester: r.fitsRequester };
    });

export interface RandomCase {
  hosts: HostInput[];
  query: PlacementQuery;
  settings: SchedulerSettings;
}

export const clusterArb: fc.Arbitrary<RandomCase> = fc
  .record({
    idcIds: fc.uniqueArray(fc.constantFrom(1, 2, 3, 10), { minLength: 1, maxLength: 3 }),
    rackCount: fc.integer({ min: 1, max: 7 }),
    hostCount: fc.integer({ min: 0, max: 24 }),
  })
  .chain(({ idcIds, rackCount, hostCount }) =>
    fc.tuple(fc.array(fc.constantFrom(...idcIds), { minLength: rackCount, maxLength: rackCount }), fc.constant(idcIds), fc.constant(hostCount)),
  )
  .chain(([rackIdcs, idcIds, hostCount]) => {
    const racks = rackIdcs.map((idcId, i) => ({ rackId: 100 + i, idcId }));
    return fc.record({
      hosts: fc.tuple(...Array.from({ length: hostCount }, (_, i) => hostArb(i + 1, racks))).chain((hs) => fc.shuffledSubarray(hs, { minLength: hs.length })),
      spec: resourcesArb([0, 0.1, 0.25, 1, 2], [0, 512, 1000, 4096, 8192], [0, 5, 50], [0, 100, 700]).map((s) =>
        s.cpuCores + s.memoryMb + s.diskGb + s.bandwidthMbps === 0 ? { ...s, memoryMb: 1024 } : s,
      ),
      importance: fc.integer({ min: 1, max: 5 }),
      productLineId: fc.constantFrom(1, 2, 3),
      departmentId: fc.constantFrom(1, 2),
      replicas: fc.integer({ min: 1, max: 4 }),
      idcIds: fc.option(fc.subarray(idcIds, { minLength: 1 }), { nil: null, freq: 2 }),
      labelSelector: fc.oneof(fc.constant([]), fc.subarray(SELECTOR_POOL, { maxLength: 2 })),
      hostCap: fc.option(fc.record({ serviceId: fc.constant(7), maxPerHost: fc.integer({ min: 1, max: 5 }) }), { nil: null }),
      crossIdc: fc.integer({ min: 0, max: 3 }).map((x) => x === 0),
      settings: fc.option(
        fc.record({
          rackSpreadFromImportance: fc.integer({ min: 1, max: 6 }),
          tierByImportance: fc.record({
            1: fc.constantFrom(...TIERS),
            2: fc.constantFrom(...TIERS),
            3: fc.constantFrom(...TIERS),
            4: fc.constantFrom(...TIERS),
            5: fc.constantFrom(...TIERS),
          }),
        }),
        { nil: undefined },
      ),
    });
  })
  .map(({ hosts, spec, settings: stored, ...q }) => {
    const settings = resolveSettings(stored);
    // Most hosts are made to pass the isolation rules, or too few cases would have room at all.
    const fitted = hosts.map(({ fitsRequester, ...h }) =>
      fitsRequester < 7
        ? {
            ...h,
            tier: settings.tierByImportance[q.importance as 1 | 2 | 3 | 4 | 5],
            departmentId: q.departmentId,
            productLineIds: fitsRequester < 3 ? [] : [q.productLineId],
          }
        : h,
    );
    return { hosts: fitted, query: { spec, ...q }, settings };
  });
