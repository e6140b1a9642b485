import { describe, expect, it } from "vitest";
import { DomainError } from "../errors";
import { assignPorts } from "./ports";

const copy = (shardIndex: number, hostId: number) => ({ shardIndex, hostId, ip: `127.0.1.${hostId}` });
const used = (entries: Record<number, number[]>) => new Map(Object.entries(entries).map(([h, ps]) => [Number(h), ps]));
const range = (start: number, end: number, next: number) => ({ start, end, next });

describe("assignPorts", () => {
  it("gives a shard's copies one port, the first at or after next that is free on all its hosts", () => {
    const items = [copy(0, 1), copy(0, 2), copy(1, 2), copy(1, 3)];
    const out = assignPorts(items, used({ 1: [6380], 2: [6381], 3: [6383] }), range(6379, 6499, 6380), "REDIS");
    expect(out).toEqual({ ports: [6382, 6384], next: 6385 });
  });

  it("keeps numbers increasing across calls through next", () => {
    const first = assignPorts([copy(0, 1)], used({ 1: [] }), range(6379, 6499, 6379), "REDIS");
    const second = assignPorts([copy(0, 1)], used({ 1: [first.ports[0]!] }), range(6379, 6499, first.next), "REDIS");
    expect([first.ports, second.ports, second.next]).toEqual([[6379], [6380], 6381]);
  });

  it("wraps around to start once when passing end", () => {
    expect(assignPorts([copy(0, 1)], used({ 1: [6381] }), range(6379, 6381, 6381), "REDIS")).toEqual({ ports: [6379], next: 6380 });
    expect(assignPorts([copy(0, 1)], used({ 1: [] }), range(6379, 6381, 6381), "REDIS")).toEqual({ ports: [6381], next: 6379 });
    // a cursor outside the range starts over at start
    expect(assignPorts([copy(0, 1)], used({ 1: [] }), range(6379, 6381, 7000), "REDIS").ports).toEqual([6379]);
  });

  it("does not give one port twice on a host within a call, wrap included", () => {
    const items = [copy(0, 1), copy(1, 1), copy(2, 1)];
    expect(assignPorts(items, used({ 1: [] }), range(6379, 6381, 6380), "REDIS").ports).toEqual([6380, 6381, 6379]);
  });

  it("says which hosts have no port left when the range is exhausted", () => {
    const items = [copy(0, 4), copy(0, 9)];
    const run = () => assignPorts(items, used({ 4: [6379, 6380], 9: [6381] }), range(6379, 6381, 6379), "REDIS");
    expect(run).toThrow(DomainError);
    expect(run).toThrow("port range 6379–6381 for REDIS has no port free on hosts 127.0.1.4, 127.0.1.9; widen the range in Settings");
    const four = [copy(0, 1), copy(1, 1), copy(2, 1), copy(3, 1)];
    expect(() => assignPorts(four, used({ 1: [] }), range(6379, 6381, 6379), "MEMCACHED")).toThrow(
      /6379–6381 for MEMCACHED has no port free on hosts 127.0.1.1/,
    );
  });

  it("refuses a bad range, a missing host and a gap in shard numbers", () => {
    expect(() => assignPorts([copy(0, 1)], used({ 1: [] }), range(7000, 6000, 7000), "REDIS")).toThrow(/7000–6000 for REDIS is not valid/);
    expect(() => assignPorts([copy(0, 1)], used({}), range(6379, 6499, 6379), "REDIS")).toThrow(/used ports of host 127.0.1.1 were not given/);
    expect(() => assignPorts([copy(1, 1)], used({ 1: [] }), range(6379, 6499, 6379), "REDIS")).toThrow(/shard 0 has no copies/);
  });

  it("returns nothing to do for an empty plan", () => {
    expect(assignPorts([], used({}), range(6379, 6499, 6400), "REDIS")).toEqual({ ports: [], next: 6400 });
  });
});
