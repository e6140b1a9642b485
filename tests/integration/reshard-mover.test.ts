import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ownerByName } from "../../server/domain/reshard/moves";
import { dropForeignKeys, KeyMover, type MoveProgress } from "../../server/domain/reshard/mover";
import { account, OPS, preload, ShardedService, strays, Writer } from "./reshard-harness";

/**
 * Moving keys between Redis shards behind a live nutcracker while a client writes through it
 * (127.0.151.x): 4 → 6 → 4 with every key accounted for, and a failed switch that leaves the old
 * layout whole.
 */
const N = 60_000;
const svc = new ShardedService("127.0.151.2", "orders", 27300, 27350);

beforeAll(async () => {
  for (let i = 0; i < 6; i++) await svc.startShard(i);
  await svc.proxy(svc.layout(4));
  await preload(svc, N);
});

afterAll(() => svc.stop());

/** every writer so far: the account of each test covers what the earlier ones did */
const writers: Writer[] = [];
const writer = (victim: (i: number) => string) => {
  const w = new Writer(svc.client(), 1000, victim);
  writers.push(w);
  return w;
};

async function resize(from: number, to: number, opts: { failSwitch?: boolean } = {}) {
  const progress: MoveProgress[] = [];
  const mover = new KeyMover(svc.layout(from), svc.layout(to), { auth: OPS, onProgress: (p) => void progress.push(p) });
  try {
    await mover.open();
    await mover.copy();
    await mover.cutover(
      async () => {
        await svc.proxy(svc.layout(to));
        if (opts.failSwitch) throw new Error("injected: the second proxy did not restart");
      },
      () => svc.proxy(svc.layout(from)),
    );
  } finally {
    await mover.close();
  }
  return { mover, progress };
}

describe("moving keys with clients writing", () => {
  it("grows 4 → 6: the moved keys are on their new shards, nothing is lost, writes during the move included", async () => {
    const w = writer((i) => `k:${(i * 7) % N}`);
    w.start();
    await new Promise((r) => setTimeout(r, 300));
    const { mover, progress } = await resize(4, 6);
    await new Promise((r) => setTimeout(r, 300));
    await w.stop();
    const dropped = await dropForeignKeys(svc.layout(4), svc.layout(6), OPS);
    expect(mover.moved).toBeGreaterThan(N * 0.25);
    expect(dropped).toBeGreaterThan(N * 0.25);
    expect(progress.at(-1)!.moved).toBe(mover.moved);
    expect(mover.pauseMs).toBeLessThan(1000);
    const { problems, checked } = await account(svc, N, writers);
    expect(problems.slice(0, 10)).toEqual([]);
    expect(checked).toBeGreaterThan(N);
    expect(w.acked.size).toBeGreaterThan(100);
    expect(await strays(svc, [0, 1, 2, 3, 4, 5], ownerByName(svc.layout(6)))).toBe(0);
  });

  it("a switch that fails puts every proxy back, and the copies go: the old layout is whole", async () => {
    const w = writer((i) => `k:${(i * 11 + 3) % N}`);
    w.start();
    await expect(resize(6, 5, { failSwitch: true })).rejects.toThrow(/injected/);
    await w.stop();
    // the undo: the receiving shards drop what was copied in
    await dropForeignKeys(svc.layout(5), svc.layout(6), OPS);
    const { problems } = await account(svc, N, writers);
    expect(problems.slice(0, 10)).toEqual([]);
    expect(await strays(svc, [0, 1, 2, 3, 4, 5], ownerByName(svc.layout(6)))).toBe(0);
  });

  it("shrinks 6 → 4: the leaving shards' keys move, the leaving shards can go", async () => {
    const w = writer((i) => `k:${(i * 13 + 5) % N}`);
    w.start();
    await new Promise((r) => setTimeout(r, 300));
    const { mover } = await resize(6, 4);
    await w.stop();
    expect(mover.moved).toBeGreaterThan(N * 0.25);
    await svc.stopShard(4);
    await svc.stopShard(5);
    const { problems } = await account(svc, N, writers);
    expect(problems.slice(0, 10)).toEqual([]);
    expect(await strays(svc, [0, 1, 2, 3], ownerByName(svc.layout(4)))).toBe(0);
  });
});
