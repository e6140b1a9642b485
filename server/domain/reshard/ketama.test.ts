import { describe, expect, it } from "vitest";
import { buildContinuum, dispatch, fnv1a64, ketamaName, ketamaRouter } from "./ketama";
import { movingShares, resizedNames } from "./moves";

const pool = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `svc-${i}`, ip: "127.0.0.1", port: 7000 + i, weight: 1 }));

describe("fnv1a64 (nutcracker's 32-bit variant)", () => {
  it("starts from the truncated 64-bit offset basis and multiplies by the truncated prime", () => {
    expect(fnv1a64(Buffer.from(""))).toBe(0x84222325);
    expect(fnv1a64(Buffer.from("a"))).toBe(0x8601ec8c);
    expect(fnv1a64(Buffer.from("foo"))).toBe(0xfed9d577);
  });
  it("sign-extends bytes of 0x80 and above, as C's signed char does", () => {
    expect(fnv1a64(Buffer.from("é"))).toBe(0xb4cc3001);
    // without the sign extension the same bytes would hash differently
    const unsigned = [0xc3, 0xa9].reduce((h, b) => Math.imul((h ^ b) >>> 0, 0x1b3) >>> 0, 0x84222325);
    expect(unsigned).not.toBe(0xb4cc3001);
  });
});

describe("ketama continuum", () => {
  it("gives each equal-weight server 160 points, 4 from each MD5 of <name>-<i>, sorted", () => {
    const c = buildContinuum(pool(3));
    expect(c.values.length).toBe(480);
    for (let i = 1; i < c.values.length; i++) expect(c.values[i]!).toBeGreaterThanOrEqual(c.values[i - 1]!);
    // md5("svc-0-0") read as four little-endian words
    for (const v of [3849046236, 1569087788, 1642752357, 2493910044]) expect(c.servers[c.values.indexOf(v)]).toBe(0);
  });
  it("shares points by weight", () => {
    const c = buildContinuum([
      { name: "a", ip: "127.0.0.1", port: 1, weight: 1 },
      { name: "b", ip: "127.0.0.1", port: 2, weight: 3 },
    ]);
    expect(c.servers.filter((s) => s === 0).length).toBe(80);
    expect(c.servers.filter((s) => s === 1).length).toBe(240);
  });
  it("sends a hash to the first point at or after it, wrapping past the last", () => {
    const c = buildContinuum(pool(2));
    const last = c.values[c.values.length - 1]!;
    expect(dispatch(c, c.values[5]!)).toBe(c.servers[5]);
    expect(dispatch(c, c.values[5]! + 1)).toBe(c.servers[6]);
    expect(dispatch(c, last + 1)).toBe(c.servers[0]);
    expect(dispatch(c, 0)).toBe(c.servers[0]);
  });
  it("names a server by its label, else ip:port (ip alone on 11211)", () => {
    expect(ketamaName({ name: "svc-1", ip: "10.0.0.1", port: 7001, weight: 1 })).toBe("svc-1");
    expect(ketamaName({ ip: "10.0.0.1", port: 7001, weight: 1 })).toBe("10.0.0.1:7001");
    expect(ketamaName({ ip: "10.0.0.1", port: 11211, weight: 1 })).toBe("10.0.0.1");
  });
  it("refuses a name nutcracker would hash past its buffer", () => {
    expect(() => buildContinuum([{ name: "x".repeat(90), ip: "127.0.0.1", port: 1, weight: 1 }])).toThrow(/too long/);
  });
});

describe("routing when a pool grows", () => {
  it("spreads keys about evenly and moves only keys that land on the new shards", () => {
    const four = ketamaRouter(pool(4));
    const six = ketamaRouter(pool(6));
    const counts = [0, 0, 0, 0];
    let moved = 0;
    for (let i = 0; i < 20_000; i++) {
      const key = `user:${i}`;
      const before = four(key);
      const after = six(key);
      counts[before]!++;
      if (after !== before) {
        moved++;
        expect(after).toBeGreaterThanOrEqual(4);
      }
    }
    for (const n of counts) expect(n).toBeGreaterThan(20_000 / 4 / 1.5);
    // about 2/6 of the keys change owner
    expect(moved / 20_000).toBeGreaterThan(0.25);
    expect(moved / 20_000).toBeLessThan(0.42);
  });
});

describe("movingShares", () => {
  it("on a grow, every old shard gives about a third of its space to the two new shards, and only to them", () => {
    const rows = movingShares(pool(4), pool(6));
    const owned = rows.reduce((n, r) => n + r.owned, 0);
    expect(owned).toBeCloseTo(1, 6);
    for (const r of rows) {
      expect(r.share / r.owned).toBeGreaterThan(0.2);
      expect(r.share / r.owned).toBeLessThan(0.45);
      expect(Object.keys(r.to).sort()).toEqual(["svc-4", "svc-5"]);
    }
  });
  it("on a shrink, only the leaving shards give keys", () => {
    const rows = movingShares(pool(6), pool(4));
    for (const r of rows) {
      if (["svc-4", "svc-5"].includes(r.source)) expect(r.share).toBeCloseTo(r.owned, 9);
      else expect(r.share).toBe(0);
    }
  });
  it("names the shards of a resize", () => {
    expect(resizedNames("s", 4, 6)).toEqual({ kept: ["s-0", "s-1", "s-2", "s-3"], added: ["s-4", "s-5"], retired: [] });
    expect(resizedNames("s", 6, 4)).toEqual({ kept: ["s-0", "s-1", "s-2", "s-3"], added: [], retired: ["s-4", "s-5"] });
  });
});
