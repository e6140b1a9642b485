import { describe, expect, it } from "vitest";
import { fromZonedInput, toWallClock, toZonedInput, zoneOffsetLabel } from "./zoned-time";

describe("toWallClock", () => {
  it("moves an instant to the zone's wall clock, read as UTC", () => {
    const at = Date.parse("2026-11-10T16:00:00.250Z"); // 双11 midnight in Beijing
    expect(new Date(toWallClock("Asia/Shanghai")(at)).toISOString()).toBe("2026-11-11T00:00:00.250Z");
    expect(toWallClock("UTC")(at)).toBe(at);
  });
  it("follows daylight saving time where the zone has it", () => {
    const winter = Date.parse("2026-01-15T12:00:00Z");
    const summer = Date.parse("2026-07-15T12:00:00Z");
    const ny = toWallClock("America/New_York");
    expect(winter - ny(winter)).toBe(5 * 3_600_000);
    expect(summer - ny(summer)).toBe(4 * 3_600_000);
  });
});

describe("zoned inputs", () => {
  it("round-trips a datetime-local value through the zone", () => {
    for (const tz of ["Asia/Shanghai", "UTC", "America/New_York", "Asia/Kolkata"]) {
      const at = fromZonedInput("2026-11-10T20:00", tz);
      expect(toZonedInput(at, tz)).toBe("2026-11-10T20:00");
    }
    expect(fromZonedInput("2026-11-10T20:00", "Asia/Shanghai").toISOString()).toBe("2026-11-10T12:00:00.000Z");
  });
  it("labels the offset", () => {
    expect(zoneOffsetLabel("Asia/Shanghai")).toBe("UTC+8");
    expect(zoneOffsetLabel("UTC")).toBe("UTC");
    expect(zoneOffsetLabel("Asia/Kolkata")).toBe("UTC+5:30");
    expect(zoneOffsetLabel("America/New_York", new Date("2026-07-01T00:00:00Z"))).toBe("UTC-4");
  });
});
