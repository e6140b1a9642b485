import { describe, expect, it } from "vitest";
import { groupInstances } from "./group-instances";

describe("groupInstances", () => {
  it("puts each shard's master before its replicas, shards in order, then proxies, sentinels and unsharded", () => {
    const list = [
      { id: 1, role: "REPLICA", shardIndex: 1 },
      { id: 2, role: "PROXY", shardIndex: null },
      { id: 3, role: "MASTER", shardIndex: 1 },
      { id: 4, role: "MASTER", shardIndex: 0 },
      { id: 5, role: "SENTINEL", shardIndex: null },
      { id: 6, role: "MASTER", shardIndex: null },
    ] as const;
    const groups = groupInstances(list.map((i) => ({ ...i })));
    expect(groups.map((g) => [g.kind, "shard" in g ? g.shard : null, g.instances.map((i) => i.id)])).toEqual([
      ["shard", 0, [4]],
      ["shard", 1, [3, 1]],
      ["proxies", null, [2]],
      ["sentinels", null, [5]],
      ["unsharded", null, [6]],
    ]);
  });

  it("leaves out empty groups", () => {
    expect(groupInstances([])).toEqual([]);
  });
});
