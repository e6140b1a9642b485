import { describe, expect, it } from "vitest";
import { desiredOf, drifts, observedOf, STALE_MS } from "./observed";

const now = new Date("2026-12-03T08:00:00Z");
const ago = (ms: number) => new Date(now.getTime() - ms);

describe("observed state", () => {
  it("up when the latest poll answered", () => {
    expect(observedOf({ state: "RUNNING", maintenanceUntil: null, health: { downSince: null, lastUpAt: ago(5_000), checkedAt: ago(5_000) } }, now)).toEqual({
      kind: "up",
    });
  });

  it("a dead process reads down since its first failed poll, whatever was asked", () => {
    const health = { downSince: ago(90_000), lastUpAt: ago(100_000), checkedAt: ago(3_000) };
    expect(observedOf({ state: "RUNNING", maintenanceUntil: null, health }, now)).toEqual({ kind: "down", since: ago(90_000) });
    expect(observedOf({ state: "STOPPED", maintenanceUntil: null, health }, now)).toEqual({ kind: "down", since: ago(90_000) });
  });

  it("unknown when there is no verdict, or the verdict is stale, keeping the last answer", () => {
    expect(observedOf({ state: "RUNNING", maintenanceUntil: null, health: null }, now)).toEqual({ kind: "unknown", lastUpAt: null });
    expect(
      observedOf(
        { state: "RUNNING", maintenanceUntil: null, health: { downSince: null, lastUpAt: ago(STALE_MS + 20_000), checkedAt: ago(STALE_MS + 10_000) } },
        now,
      ),
    ).toEqual({
      kind: "unknown",
      lastUpAt: ago(STALE_MS + 20_000),
    });
    // checked recently, but its last answer is old: the collector saw no sample (not polled)
    expect(observedOf({ state: "RUNNING", maintenanceUntil: null, health: { downSince: null, lastUpAt: ago(600_000), checkedAt: ago(1_000) } }, now)).toEqual({
      kind: "unknown",
      lastUpAt: ago(600_000),
    });
  });

  it("a catalogue row is not watched", () => {
    expect(observedOf({ state: "UNKNOWN", maintenanceUntil: null, health: null }, now)).toEqual({ kind: "catalogued" });
  });
});

describe("desired state", () => {
  it("is the row's state, with an open maintenance window and its note", () => {
    expect(desiredOf({ state: "RUNNING", maintenanceUntil: null }, now)).toEqual({ kind: "running", maintenanceUntil: null, note: null });
    const until = new Date(now.getTime() + 3_600_000);
    expect(desiredOf({ state: "STOPPED", maintenanceUntil: until, maintenanceNote: "disk swap" }, now)).toEqual({
      kind: "stopped",
      maintenanceUntil: until,
      note: "disk swap",
    });
  });

  it("a window that has ended is no maintenance", () => {
    expect(desiredOf({ state: "STOPPED", maintenanceUntil: ago(1), maintenanceNote: "old" }, now)).toEqual({
      kind: "stopped",
      maintenanceUntil: null,
      note: null,
    });
  });

  it("drift: down while it should run, up while it should be stopped", () => {
    expect(drifts({ kind: "down", since: now }, desiredOf({ state: "RUNNING", maintenanceUntil: null }, now))).toBe(true);
    expect(drifts({ kind: "up" }, desiredOf({ state: "STOPPED", maintenanceUntil: null }, now))).toBe(true);
    expect(drifts({ kind: "down", since: now }, desiredOf({ state: "STOPPED", maintenanceUntil: null }, now))).toBe(false);
    expect(drifts({ kind: "up" }, desiredOf({ state: "RUNNING", maintenanceUntil: null }, now))).toBe(false);
  });
});
