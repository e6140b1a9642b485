import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DomainError } from "../errors";
import { withHosts, withPlacement } from "./apply";
import { countInventory } from "./inventory";
import { placeShards } from "./placement";
import { buildSnapshot } from "./snapshot";
import { clusterArb } from "./test-fixtures";
import type { HostInput } from "./types";

/** What the database would hold after the placement: the same copies added to the hosts' inputs. */
function inputsAfter(hosts: HostInput[], copies: { hostId: number; port: number }[], spec: HostInput["used"], productLineId: number, serviceId: number | null) {
  return hosts.map((h) => {
    const mine = copies.filter((c) => c.hostId === h.id);
    if (mine.length === 0) return h;
    const used = { ...h.used };
    for (const k of Object.keys(used) as (keyof typeof used)[]) used[k] += spec[k] * mine.length;
    const serviceCounts = { ...h.serviceCounts };
    if (serviceId !== null) serviceCounts[serviceId] = (serviceCounts[serviceId] ?? 0) + mine.length;
    return { ...h, used, productLineIds: [...h.productLineIds, productLineId], serviceCounts, usedPorts: [...h.usedPorts, ...mine.map((c) => c.port)] };
  });
}

describe("withPlacement", () => {
  it("answers every later question exactly as a snapshot rebuilt from the database would", () => {
    fc.assert(
      fc.property(clusterArb, fc.integer({ min: 1, max: 4 }), fc.boolean(), ({ hosts, query, settings }, shards, withService) => {
        const before = buildSnapshot(hosts);
        let plan;
        try {
          plan = placeShards(before, { ...query, shards, strategy: "spread" }, settings);
        } catch (e) {
          if (e instanceof DomainError) return; // nothing fits: nothing to apply
          throw e;
        }
        const serviceId = withService ? (query.hostCap?.serviceId ?? 7) : null;
        const copies = plan.items.map((it) => ({ hostId: it.hostId, port: 20000 + it.shardIndex }));
        const incremental = withPlacement(before, copies, query.spec, query.productLineId, serviceId);
        const rebuilt = buildSnapshot(inputsAfter(hosts, copies, query.spec, query.productLineId, serviceId));
        // the same question, and a second placement's question, get the same answers
        expect(countInventory(incremental, query, settings)).toEqual(countInventory(rebuilt, query, settings));
        const again = { ...query, productLineId: query.productLineId + 1 };
        expect(countInventory(incremental, again, settings)).toEqual(countInventory(rebuilt, again, settings));
        expect(incremental.usedPorts).toEqual(rebuilt.usedPorts);
        // the snapshot it started from is untouched
        expect(countInventory(before, query, settings)).toEqual(countInventory(buildSnapshot(hosts), query, settings));
      }),
      { numRuns: 300 },
    );
  });
});

describe("withHosts (a release applied in place)", () => {
  it("after a placement and its release, answers as a snapshot rebuilt from the database would", () => {
    fc.assert(
      fc.property(clusterArb, fc.integer({ min: 1, max: 4 }), fc.boolean(), ({ hosts, query, settings }, shards, withService) => {
        const before = buildSnapshot(hosts);
        let plan;
        try {
          plan = placeShards(before, { ...query, shards, strategy: "spread" }, settings);
        } catch (e) {
          if (e instanceof DomainError) return;
          throw e;
        }
        const serviceId = withService ? (query.hostCap?.serviceId ?? 7) : null;
        const copies = plan.items.map((it) => ({ hostId: it.hostId, port: 20000 + it.shardIndex }));
        const placed = withPlacement(before, copies, query.spec, query.productLineId, serviceId);
        // the release: its hosts as the database has them again, i.e. as they were
        const touched = new Set(copies.map((c) => c.hostId));
        const released = withHosts(
          placed,
          hosts.filter((h) => touched.has(h.id)),
        );
        expect(released).not.toBeNull();
        const again = { ...query, productLineId: query.productLineId + 1 };
        for (const q of [query, again]) expect(countInventory(released!, q, settings)).toEqual(countInventory(before, q, settings));
        expect(released!.usedPorts).toEqual(before.usedPorts);
        expect(released!.productLineCount).toEqual(before.productLineCount);
        expect(released!.soleProductLine).toEqual(before.soleProductLine);
        expect(new Map([...released!.services].map(([k, v]) => [k, [...v.hosts, ...v.counts]]))).toEqual(
          new Map([...before.services].map(([k, v]) => [k, [...v.hosts, ...v.counts]])),
        );
        // the placed snapshot it started from is untouched
        expect(countInventory(placed, query, settings)).toEqual(
          countInventory(withPlacement(before, copies, query.spec, query.productLineId, serviceId), query, settings),
        );
      }),
      { numRuns: 300 },
    );
  });

  it("gives up (the caller rebuilds) for a host the snapshot does not have", () => {
    const hosts: HostInput[] = [];
    expect(withHosts(buildSnapshot(hosts), [{ id: 1 } as HostInput])).toBeNull();
  });
});
