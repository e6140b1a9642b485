import { describe, expect, it } from "vitest";
import { vipRanges } from "./schemas";
import { hedwigPorts, inVipRanges } from "./vip-listeners";

describe("inVipRanges", () => {
  it("takes first-last ranges, several comma-separated, and single addresses", () => {
    expect(inVipRanges("127.0.2.10-127.0.2.250", "127.0.2.10")).toBe(true);
    expect(inVipRanges("127.0.2.10-127.0.2.250", "127.0.2.250")).toBe(true);
    expect(inVipRanges("127.0.2.10-127.0.2.250", "127.0.2.9")).toBe(false);
    expect(inVipRanges("127.0.2.10-127.0.2.250", "127.0.3.10")).toBe(false);
    expect(inVipRanges("10.0.0.1-10.0.0.5, 10.0.1.7", "10.0.1.7")).toBe(true);
  });
});

describe("hedwigPorts", () => {
  it("names the web server's port and the database's", () => {
    expect(hedwigPorts({ PORT: "3100", DATABASE_URL: "postgresql://u:p@127.0.0.1:54330/hedwig" })).toEqual([
      { port: 3100, what: "web" },
      { port: 54330, what: "postgres" },
    ]);
    expect(hedwigPorts({})).toEqual([{ port: 3000, what: "web" }]);
  });
});

describe("vipRanges", () => {
  it("takes ranges and single addresses, comma-separated, and refuses anything else", () => {
    for (const ok of ["127.0.2.10-127.0.2.250", "10.0.0.1-10.0.0.5, 10.0.1.7", "10.0.0.9"]) expect(vipRanges.safeParse(ok).success, ok).toBe(true);
    for (const bad of ["", "10.0.0.1-", "10.0.0.256", "10.0.0.0/24", "10.0.0.1,,10.0.0.2", "any"]) expect(vipRanges.safeParse(bad).success, bad).toBe(false);
  });
});
