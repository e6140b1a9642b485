import { describe, expect, it } from "vitest";
import { countInventory } from "./inventory";
import { resolveSettings } from "./settings";
import { buildSnapshot } from "./snapshot";
import { BIG, host, query, spec } from "./test-fixtures";
import type { HostInput, PlacementQuery, RejectionReason } from "./types";

/** The reason one host gets under a query, or null when it has room. */
function reasonFor(h: HostInput, q: Partial<PlacementQuery> = {}, settings = resolveSettings()): RejectionReason | null {
  const inv = countInventory(buildSnapshot([h]), query(q), settings);
  return inv.instances > 0 ? null : inv.rejections[0]!.reason;
}

describe("each filter has its own reason", () => {
  it.each([
    ["MAINTENANCE", "maintenance"],
    ["OFFLINE", "offline"],
    ["LOCKED", "locked"],
  ] as const)("status %s → %s", (status, reason) => {
    expect(reasonFor(host(1, { status }))).toBe(reason);
  });

  it("an online host whose probe failed is not placed on, with its own reason; its status reason comes first", () => {
    expect(reasonFor(host(1, { reachable: false }))).toBe("unreachable");
    expect(reasonFor(host(1, { reachable: true }))).toBeNull();
    expect(reasonFor(host(1, { status: "MAINTENANCE", reachable: false }))).toBe("maintenance");
  });

  it("IDC outside the chosen set", () => {
    expect(reasonFor(host(1, { idcId: 2 }), { idcIds: [1] })).toBe("idc");
    expect(reasonFor(host(1, { idcId: 2 }), { idcIds: [1, 2] })).toBeNull();
    expect(reasonFor(host(1, { idcId: 2 }), { idcIds: null })).toBeNull();
  });

  it("label selector, with Kubernetes semantics for missing keys", () => {
    const h = host(1, { labels: { region: "sh", model: "e6" } });
    expect(reasonFor(h, { labelSelector: [{ key: "region", op: "eq", value: "bj" }] })).toBe("label");
    expect(reasonFor(h, { labelSelector: [{ key: "region", op: "eq", value: "sh" }] })).toBeNull();
    expect(reasonFor(h, { labelSelector: [{ key: "model", op: "in", values: ["e7", "e6"] }] })).toBeNull();
    expect(reasonFor(h, { labelSelector: [{ key: "model", op: "notin", values: ["e6"] }] })).toBe("label");
    expect(reasonFor(h, { labelSelector: [{ key: "gpu", op: "neq", value: "a100" }] })).toBeNull();
    expect(reasonFor(h, { labelSelector: [{ key: "gpu", op: "exists" }] })).toBe("label");
    expect(reasonFor(h, { labelSelector: [{ key: "gpu", op: "notexists" }] })).toBeNull();
    expect(reasonFor(h, { labelSelector: [{ key: "region", op: "notexists" }] })).toBe("label");
  });

  it("CPU, memory, disk, bandwidth each name the dimension that is short", () => {
    const small = { cpuCores: 2, memoryMb: 8192, diskGb: 100, bandwidthMbps: 1000 };
    const h = host(1, { capacity: small });
    expect(reasonFor(h, { spec: spec({ cpuCores: 3 }) })).toBe("cpu");
    expect(reasonFor(h, { spec: spec({ memoryMb: 9000 }) })).toBe("memory");
    expect(reasonFor(h, { spec: spec({ diskGb: 101 }) })).toBe("disk");
    expect(reasonFor(h, { spec: spec({ bandwidthMbps: 1001 }) })).toBe("bandwidth");
  });

  it("measured free disk and bandwidth refuse beside the reservations, each named, reservations first", () => {
    const small = { cpuCores: 2, memoryMb: 8192, diskGb: 100, bandwidthMbps: 1000 };
    const measured = { diskFreeGb: 40, bandwidthFreeMbps: 300 };
    const h = host(1, { capacity: small, measured });
    expect(reasonFor(h, { spec: spec({ diskGb: 50 }) })).toBe("diskMeasured");
    expect(reasonFor(h, { spec: spec({ diskGb: 30 }) })).toBeNull();
    expect(reasonFor(h, { spec: spec({ bandwidthMbps: 400 }) })).toBe("bandwidthMeasured");
    expect(reasonFor(h, { spec: spec({ diskGb: 101 }) })).toBe("disk");
    // not measured: only the reservation limits
    expect(reasonFor(host(1, { capacity: small, measured: { diskFreeGb: null, bandwidthFreeMbps: null } }), { spec: spec({ diskGb: 90 }) })).toBeNull();
    // the room is the least of both: 40 GB measured holds 4 copies of 10 GB though 100 GB are unreserved
    const roomy = host(1, { capacity: { ...BIG, diskGb: 100 }, measured: { diskFreeGb: 40, bandwidthFreeMbps: null } });
    expect(countInventory(buildSnapshot([roomy]), query({ spec: spec({ diskGb: 10 }) }), resolveSettings()).instances).toBe(4);
  });

  it("counts what is already used, and an overcommitted dimension rejects", () => {
    const h = host(1, { capacity: { ...BIG, memoryMb: 8192 }, used: { cpuCores: 0, memoryMb: 6000, diskGb: 0, bandwidthMbps: 0 } });
    expect(reasonFor(h, { spec: spec({ memoryMb: 4096 }) })).toBe("memory");
    expect(reasonFor(h, { spec: spec({ memoryMb: 2048 }) })).toBeNull();
    const over = host(1, { capacity: { ...BIG, diskGb: 10 }, used: { cpuCores: 0, memoryMb: 0, diskGb: 12, bandwidthMbps: 0 } });
    expect(reasonFor(over, { spec: spec({ diskGb: 1 }) })).toBe("disk");
    // a dimension the spec does not reserve never limits, even when overcommitted
    expect(reasonFor(over, { spec: spec({ diskGb: 0 }) })).toBeNull();
  });

  it("per-host cap counts the service's existing instances", () => {
    const h = host(1, { serviceCounts: { 9: 2 } });
    expect(reasonFor(h, { hostCap: { serviceId: 9, maxPerHost: 2 } })).toBe("serviceCap");
    expect(reasonFor(h, { hostCap: { serviceId: 8, maxPerHost: 2 } })).toBeNull();
    const inv = countInventory(buildSnapshot([h]), query({ hostCap: { serviceId: 9, maxPerHost: 5 } }));
    expect(inv.instances).toBe(3);
  });

  it("a host gets the FIRST failing filter: status → IDC → label → tier → cpu → memory → disk → bandwidth → cap", () => {
    const worst = host(1, {
      status: "LOCKED",
      idcId: 2,
      labels: {},
      tier: "DEDICATED",
      capacity: { cpuCores: 0, memoryMb: 0, diskGb: 0, bandwidthMbps: 0 },
      serviceCounts: { 9: 5 },
    });
    const q = { idcIds: [1], labelSelector: [{ key: "ssd", op: "exists" as const }], hostCap: { serviceId: 9, maxPerHost: 1 } };
    expect(reasonFor(worst, q)).toBe("locked");
    expect(reasonFor({ ...worst, status: "ONLINE" }, q)).toBe("idc");
    expect(reasonFor({ ...worst, status: "ONLINE", idcId: 1 }, q)).toBe("label");
    const labelled = { ...worst, status: "ONLINE" as const, idcId: 1, labels: { ssd: "true" } };
    expect(reasonFor(labelled, q)).toBe("tierMismatch");
    const mixed = { ...labelled, tier: "MIXED" as const };
    expect(reasonFor(mixed, q)).toBe("cpu");
    expect(reasonFor({ ...mixed, capacity: { ...mixed.capacity, cpuCores: 8 } }, q)).toBe("memory");
    expect(reasonFor({ ...mixed, capacity: { ...mixed.capacity, cpuCores: 8, memoryMb: 8192 } }, q)).toBe("disk");
    expect(reasonFor({ ...mixed, capacity: { ...BIG, bandwidthMbps: 0 } }, q)).toBe("bandwidth");
    expect(reasonFor({ ...mixed, capacity: BIG }, q)).toBe("serviceCap");
  });
});

describe("isolation tiers from importance", () => {
  const dedicated = (productLineIds: number[]) => host(1, { tier: "DEDICATED", productLineIds });

  it("5★ and 4★ only on dedicated hosts carrying no other product line", () => {
    for (const importance of [4, 5]) {
      expect(reasonFor(dedicated([]), { importance, productLineId: 7 })).toBeNull();
      expect(reasonFor(dedicated([7]), { importance, productLineId: 7 })).toBeNull();
      expect(reasonFor(dedicated([8]), { importance, productLineId: 7 })).toBe("tierOtherProductLine");
      expect(reasonFor(dedicated([7, 8]), { importance, productLineId: 7 })).toBe("tierOtherProductLine");
      expect(reasonFor(host(1, { tier: "MIXED" }), { importance })).toBe("tierMismatch");
    }
  });

  it("3★ on mixed-within-department hosts of the requester's department", () => {
    const md = (departmentId: number | null) => host(1, { tier: "MIXED_DEPARTMENT", departmentId, productLineIds: [1, 2, 3] });
    expect(reasonFor(md(4), { importance: 3, departmentId: 4 })).toBeNull();
    expect(reasonFor(md(5), { importance: 3, departmentId: 4 })).toBe("tierOtherDepartment");
    expect(reasonFor(md(null), { importance: 3, departmentId: 4 })).toBe("tierOtherDepartment");
    expect(reasonFor(dedicated([]), { importance: 3 })).toBe("tierMismatch");
  });

  it("1★ and 2★ on mixed hosts, whoever else is there", () => {
    for (const importance of [1, 2]) {
      expect(reasonFor(host(1, { tier: "MIXED", productLineIds: [5, 6], departmentId: 9 }), { importance })).toBeNull();
      expect(reasonFor(dedicated([]), { importance })).toBe("tierMismatch");
      expect(reasonFor(host(1, { tier: "MIXED_DEPARTMENT", departmentId: 1 }), { importance })).toBe("tierMismatch");
    }
  });

  it("the mapping is a setting", () => {
    const settings = resolveSettings({ tierByImportance: { 2: "MIXED_DEPARTMENT" } });
    expect(reasonFor(host(1, { tier: "MIXED_DEPARTMENT", departmentId: 1 }), { importance: 2, departmentId: 1 }, settings)).toBeNull();
    expect(reasonFor(host(1, { tier: "MIXED" }), { importance: 2 }, settings)).toBe("tierMismatch");
    expect(() => resolveSettings({ tierByImportance: { 1: "SHARED" as never } })).toThrow(/tier "SHARED" for 1★ is unknown/);
    expect(() => resolveSettings({ rackSpreadFromImportance: 0 })).toThrow(/use 1–5, or 6 for never/);
    expect(() => resolveSettings({ weights: { balanced: -1 } })).toThrow(/balanced = -1/);
  });
});
