import { describe, expect, it } from "vitest";
import { buildTopology, type TopologyInstance } from "./topology";

const inst = (id: number, role: string, shardIndex: number | null, masterId: number | null = null): TopologyInstance => ({
  id,
  role,
  shardIndex,
  masterId,
  address: `127.0.0.${id}:6379`,
  up: id !== 4,
});

describe("buildTopology", () => {
  it("links product lines to the proxies, proxies to every shard, masters to their replicas", () => {
    const t = buildTopology(
      [{ id: 1, code: "cart" }],
      [inst(1, "PROXY", null), inst(2, "PROXY", null), inst(3, "MASTER", 0), inst(4, "MASTER", 1), inst(5, "REPLICA", 0, 3), inst(6, "REPLICA", 1)],
    );
    const links = t.links.map((l) => `${l.source}>${l.target}`);
    expect(links).toEqual(["pl1>i1", "pl1>i2", "i1>i3", "i1>i4", "i2>i3", "i2>i4", "i3>i5", "i4>i6"]);
    expect(t.nodes.find((n) => n.id === "i4")).toMatchObject({ category: "shard", up: false, name: "#1 127.0.0.4:6379" });
    // Columns left to right.
    const x = (id: string) => t.nodes.find((n) => n.id === id)!.x;
    expect(x("pl1") < x("i1") && x("i1") < x("i3") && x("i3") < x("i5")).toBe(true);
  });

  it("without proxies, product lines reach the shards; Sentinels watch every master", () => {
    const t = buildTopology(
      [
        { id: 1, code: "a" },
        { id: 2, code: "b" },
      ],
      [inst(3, "MASTER", 0), inst(7, "SENTINEL", null), inst(8, "SENTINEL", null)],
    );
    expect(t.links.map((l) => `${l.source}>${l.target}`)).toEqual(["pl1>i3", "pl2>i3", "i7>i3", "i8>i3"]);
  });
});
