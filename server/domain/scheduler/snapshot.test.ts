import { describe, expect, it } from "vitest";
import { buildSnapshot, usedPortsOf } from "./snapshot";
import { host } from "./test-fixtures";

describe("buildSnapshot", () => {
  it("orders hosts by id whatever the input order, and indexes racks and IDCs by id", () => {
    const s = buildSnapshot([host(3, { rackId: 20, idcId: 2 }), host(1, { rackId: 10, idcId: 1 }), host(2, { rackId: 20, idcId: 2 })]);
    expect([...s.hostId]).toEqual([1, 2, 3]);
    expect(s.rackIds).toEqual([10, 20]);
    expect(s.idcIds).toEqual([1, 2]);
    expect([...s.rackOf]).toEqual([0, 1, 1]);
    expect([...s.rackIdc]).toEqual([0, 1]);
    expect(s.indexOf.get(3)).toBe(2);
  });

  it("dictionary-encodes labels", () => {
    const s = buildSnapshot([host(1, { labels: { model: "e6" } }), host(2, { labels: { model: "e7", ssd: "true" } }), host(3, { labels: { model: "e6" } })]);
    const model = s.labels.get("model")!;
    expect([...model.values.keys()]).toEqual(["e6", "e7"]);
    expect([...model.column]).toEqual([0, 1, 0]);
    expect([...s.labels.get("ssd")!.column]).toEqual([-1, 0, -1]);
  });

  it("refuses a host listed twice and a rack in two IDCs", () => {
    expect(() => buildSnapshot([host(1), host(1)])).toThrow(/host id 1 appears twice/);
    expect(() => buildSnapshot([host(1, { rackId: 5, idcId: 1 }), host(2, { rackId: 5, idcId: 2 })])).toThrow(/rack 5 is in IDC 1 and in IDC 2/);
  });

  it("skips and reports a host with impossible figures instead of refusing the fleet", () => {
    const bad = [
      host(2, { capacity: { cpuCores: -1, memoryMb: 1, diskGb: 1, bandwidthMbps: 1 } }),
      host(3, { used: { cpuCores: 1e308, memoryMb: 0, diskGb: 0, bandwidthMbps: 0 } }),
      host(4, { capacity: { cpuCores: 8, memoryMb: Number.NaN, diskGb: 1, bandwidthMbps: 1 } }),
      host(5, { status: "BROKEN" as never }),
    ];
    const s = buildSnapshot([host(1), ...bad]);
    expect(s.size).toBe(1);
    expect([...s.hostId]).toEqual([1]);
    expect(s.skipped.map((x) => [x.hostId, x.reason, x.field])).toEqual([
      [2, "impossibleCapacity", "cpuCores"],
      [3, "impossibleUsage", "cpuCores"],
      [4, "impossibleCapacity", "memoryMb"],
      [5, "unknownStatus", "status"],
    ]);
  });

  it("gives the used ports of the hosts asked for", () => {
    const s = buildSnapshot([host(1, { usedPorts: [6379, 6380] }), host(2)]);
    expect(usedPortsOf(s, [1, 2])).toEqual(
      new Map([
        [1, new Set([6379, 6380])],
        [2, new Set()],
      ]),
    );
    expect(() => usedPortsOf(s, [3])).toThrow(/host 3 is not in the scheduler snapshot/);
  });
});
