import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DomainError } from "../errors";
import { countInventory } from "./inventory";
import { oracleInventory } from "./oracle";
import { placeShards } from "./placement";
import { buildSnapshot } from "./snapshot";
import { clusterArb } from "./test-fixtures";
import type { PlacementPlan, Strategy } from "./types";

const byId = <T>(entries: { [k: string]: unknown }[], key: string, value: (e: never) => T) =>
  new Map(entries.map((e) => [e[key] as number, value(e as never)]));

describe("the fast count equals a one-by-one placement simulation", () => {
  it("instances, shards, breakdowns and rejection reasons, on random clusters", () => {
    fc.assert(
      fc.property(clusterArb, ({ hosts, query, settings }) => {
        const snapshot = buildSnapshot(hosts);
        const fast = countInventory(snapshot, query, settings);
        const slow = oracleInventory(hosts, query, settings);
        expect(fast.instances).toBe(slow.instances);
        expect(fast.shards).toBe(slow.shards);
        expect(new Map([...snapshot.hostId].map((id, i) => [id, fast.perHost[i]!]))).toEqual(slow.perHost);
        expect(byId(fast.perRack, "rackId", (r: { instances: number }) => r.instances)).toEqual(slow.perRack);
        expect(byId(fast.perIdc, "idcId", (r: { instances: number; shards: number | null }) => ({ instances: r.instances, shards: r.shards }))).toEqual(
          slow.perIdc,
        );
        expect(new Map(fast.rejections.map((r) => [r.reason, r.hosts]))).toEqual(slow.rejections);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("placement places exactly what the inventory counts", () => {
  it("all counted shards fit with every rule kept, one more does not, and the plan is deterministic", () => {
    const caseArb = fc.record({
      c: clusterArb,
      strategy: fc.constantFrom<Strategy>("spread", "concentrate"),
      preferred: fc.option(fc.constantFrom(1, 2, 3, 10), { nil: null }),
    });
    let placed = 0;
    fc.assert(
      fc.property(caseArb, ({ c: { hosts, query, settings }, strategy, preferred }) => {
        const snapshot = buildSnapshot(hosts);
        const slow = oracleInventory(hosts, query, settings);
        const N = slow.shards;
        const req = { ...query, strategy, preferredIdcId: preferred };
        if (N > 0 && N <= 200) {
          const plan = placeShards(snapshot, { ...req, shards: N }, settings);
          expectValid(plan, N, query.replicas, slow.perHost, hosts);
          expect(placeShards(buildSnapshot([...hosts].reverse()), { ...req, shards: N }, settings)).toEqual(plan);
          placed++;
        }
        if (N <= 200) expect(() => placeShards(snapshot, { ...req, shards: N + 1 }, settings)).toThrow(DomainError);
      }),
      { numRuns: 600 },
    );
    expect(placed).toBeGreaterThan(50); // the generator must exercise placement, not only refusals
  });
});

/** Checked against the oracle's per-host room, independently of the placement code. */
function expectValid(plan: PlacementPlan, N: number, R: number, room: Map<number, number>, hosts: { id: number; rackId: number; idcId: number }[]) {
  expect(plan.items).toHaveLength(N * R);
  const used = new Map<number, number>();
  const host = new Map(hosts.map((h) => [h.id, h]));
  for (let shard = 0; shard < N; shard++) {
    const copies = plan.items.slice(shard * R, (shard + 1) * R);
    expect(copies.map((c) => [c.shardIndex, c.replicaIndex])).toEqual(copies.map((_, j) => [shard, j]));
    expect(copies.map((c) => c.role)).toEqual(copies.map((_, j) => (j === 0 ? "MASTER" : "REPLICA")));
    const key = { host: (c: (typeof copies)[0]) => c.hostId, rack: (c: (typeof copies)[0]) => c.rackId, idc: (c: (typeof copies)[0]) => c.idcId }[
      plan.antiAffinity
    ];
    expect(new Set(copies.map(key)).size).toBe(R);
    expect(new Set(copies.map((c) => c.hostId)).size).toBe(R);
    for (const c of copies) {
      expect(host.get(c.hostId)).toMatchObject({ rackId: c.rackId, idcId: c.idcId });
      used.set(c.hostId, (used.get(c.hostId) ?? 0) + 1);
    }
  }
  for (const [id, n] of used) expect(n).toBeLessThanOrEqual(room.get(id)!);
}
