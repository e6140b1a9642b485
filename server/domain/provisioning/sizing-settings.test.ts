import { describe, expect, it } from "vitest";
import { DomainError } from "../errors";
import { DEFAULT_SIZING_SETTINGS, resolveSizingSettings, type StoredSizingSettings } from "./sizing-settings";

describe("resolveSizingSettings", () => {
  it("gives the defaults when nothing is stored", () => {
    expect(resolveSizingSettings()).toEqual(DEFAULT_SIZING_SETTINGS);
    expect(resolveSizingSettings({})).toEqual(DEFAULT_SIZING_SETTINGS);
  });

  it("keeps what an admin stored and fills the rest, per importance too", () => {
    const s = resolveSizingSettings({ headroom: 1.5, copiesByImportance: { 3: 2 }, sentinelsByImportance: { 4: 5 } });
    expect(s.headroom).toBe(1.5);
    expect(s.redisMaxShardMemoryGb).toBe(12);
    expect(s.copiesByImportance).toEqual({ 1: 1, 2: 1, 3: 2, 4: 2, 5: 3 });
    expect(s.sentinelsByImportance).toEqual({ 1: 3, 2: 3, 3: 3, 4: 5, 5: 5 });
  });

  it.each<[StoredSizingSettings, string]>([
    [{ redisQpsPerShard: 0 }, "sizing setting redisQpsPerShard = 0 is not valid: use a number greater than 0"],
    [{ proxyQps: -5 }, "sizing setting proxyQps = -5 is not valid: use a number greater than 0"],
    [{ redisMaxShardMemoryGb: Number.NaN }, "sizing setting redisMaxShardMemoryGb = NaN is not valid: use a number greater than 0"],
    [{ sentinelCpu: "1" as unknown as number }, "sizing setting sentinelCpu = 1 is not valid: use a number greater than 0"],
    [{ memoryStepMb: 100.5 }, "sizing setting memoryStepMb = 100.5 is not valid: use a whole number"],
    [{ headroom: 0.8 }, "sizing setting headroom = 0.8 is not valid: use 1 or more (it multiplies, it must not shrink)"],
    [{ persistenceDiskFactor: 0.5 }, "sizing setting persistenceDiskFactor = 0.5 is not valid: use 1 or more (it multiplies, it must not shrink)"],
    [{ minProxies: 1 }, "sizing setting minProxies = 1 is not valid: use 2 or more, so one proxy can fail while another serves"],
    [{ spareProxyFromImportance: 7 }, "sizing setting spareProxyFromImportance = 7 is not valid: use 1–5, or 6 for never"],
    [{ haCopies: 1 }, "sizing setting haCopies = 1 is not valid: high availability needs 2 copies or more"],
    [{ minShardMemoryMb: 20_000 }, "sizing setting minShardMemoryMb = 20000 is above redisMaxShardMemoryGb (12 GB): lower it"],
    [{ copiesByImportance: { 2: 0 } }, "copies for 2★ = 0 is not valid: use 1 (no replica) to 5"],
    [{ copiesByImportance: { 5: 6 } }, "copies for 5★ = 6 is not valid: use 1 (no replica) to 5"],
    [{ sentinelsByImportance: { 5: 4 } }, "Sentinels for 5★ = 4 is not valid: use an odd number from 3 to 9 (an even count tolerates no more failures)"],
    [{ sentinelsByImportance: { 1: 1 } }, "Sentinels for 1★ = 1 is not valid: use an odd number from 3 to 9 (an even count tolerates no more failures)"],
  ])("refuses %o", (stored, message) => {
    const run = () => resolveSizingSettings(stored);
    expect(run).toThrow(DomainError);
    expect(run).toThrow(message);
  });
});
