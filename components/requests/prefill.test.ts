import { describe, expect, it } from "vitest";
import { prefillFromQuery } from "./prefill";

describe("prefillFromQuery", () => {
  it("takes the known fields and ignores the rest", () => {
    const q = new URLSearchParams({
      productLineId: "7",
      kind: "REDIS_TWEMPROXY",
      peakQps: "120000",
      capacityGb: "12.5",
      highAvailability: "1",
      purpose: "Scale-out",
      evil: "x",
    });
    expect(prefillFromQuery(q)).toEqual({
      productLineId: "7",
      kind: "REDIS_TWEMPROXY",
      peakQps: "120000",
      capacityGb: "12.5",
      highAvailability: true,
      purpose: "Scale-out",
    });
  });
  it("drops an unknown kind and a malformed yes/no", () => {
    expect(prefillFromQuery(new URLSearchParams({ kind: "MONGODB", highAvailability: "maybe" }))).toEqual({});
    expect(prefillFromQuery(null)).toEqual({});
  });
});
