import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { HealthLevel } from "../../../generated/prisma/enums";
import { countLevels, groupTiles, LEVEL_RANK, parseReasons, worstLevel, type BoardTile } from "./board-order";

const LEVELS: HealthLevel[] = ["RED", "AMBER", "GREEN", "UNKNOWN"];
const tile = (name: string, level: HealthLevel, sinceMin: number | null = null): BoardTile => ({
  serviceId: name.length,
  name,
  kind: "REDIS_SENTINEL",
  level,
  reasons: [],
  actions: [],
  since: sinceMin === null ? null : new Date(Date.UTC(2026, 0, 1, 0, sinceMin)),
  incident: null,
});
const line = (id: number, importance: number) => ({ id, code: `pl${id}`, name: `PL ${id}`, importance });

describe("groupTiles", () => {
  it("orders groups by their worst level, then importance, and tiles red → amber → green, oldest problem first", () => {
    const groups = groupTiles([
      { productLine: line(1, 5), tile: tile("a-green", "GREEN") },
      { productLine: line(2, 1), tile: tile("b-amber", "AMBER", 5) },
      { productLine: line(3, 3), tile: tile("c-red-new", "RED", 30) },
      { productLine: line(3, 3), tile: tile("c-amber", "AMBER", 1) },
      { productLine: line(3, 3), tile: tile("c-red-old", "RED", 10) },
      { productLine: line(4, 4), tile: tile("d-amber", "AMBER", 9) },
    ]);
    expect(groups.map((g) => [g.productLine.code, g.worst])).toEqual([
      ["pl3", "RED"],
      ["pl4", "AMBER"],
      ["pl2", "AMBER"],
      ["pl1", "GREEN"],
    ]);
    expect(groups[0]!.tiles.map((t) => t.name)).toEqual(["c-red-old", "c-red-new", "c-amber"]);
  });

  it("never puts a better level before a worse one, in any input order", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ line: fc.integer({ min: 1, max: 4 }), level: fc.constantFrom(...LEVELS), name: fc.string() })), (rows) => {
        const groups = groupTiles(rows.map((r) => ({ productLine: line(r.line, r.line), tile: tile(r.name, r.level, 1) })));
        for (let i = 1; i < groups.length; i++) expect(LEVEL_RANK[groups[i - 1]!.worst]).toBeLessThanOrEqual(LEVEL_RANK[groups[i]!.worst]);
        for (const g of groups) {
          for (let i = 1; i < g.tiles.length; i++) expect(LEVEL_RANK[g.tiles[i - 1]!.level]).toBeLessThanOrEqual(LEVEL_RANK[g.tiles[i]!.level]);
          expect(g.worst).toBe(worstLevel(g.tiles.map((t) => t.level)));
        }
        expect(groups.reduce((n, g) => n + g.tiles.length, 0)).toBe(rows.length);
      }),
    );
  });
});

describe("reasons and counts", () => {
  it("reads the rules' reasons worst first and skips malformed ones", () => {
    expect(
      parseReasons([
        { code: "memory", level: "AMBER", params: { pct: 85 } },
        { nope: 1 },
        { code: "old", level: "RED", message: "an English sentence of old" },
        { code: "unreachable", level: "RED", params: {} },
      ]),
    ).toEqual([
      { code: "unreachable", level: "RED", params: {} },
      { code: "memory", level: "AMBER", params: { pct: 85 } },
    ]);
    expect(parseReasons("x")).toEqual([]);
  });

  it("counts every level", () => {
    expect(countLevels([{ level: "RED" }, { level: "RED" }, { level: "UNKNOWN" }])).toEqual({ RED: 2, AMBER: 0, GREEN: 0, UNKNOWN: 1, MAINTENANCE: 0 });
  });
});
