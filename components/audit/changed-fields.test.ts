import { describe, expect, it } from "vitest";
import { changedFields } from "./changed-fields";

describe("changedFields", () => {
  it("lists added, removed and changed fields, nested values compared whole", () => {
    const before = { name: "a", region: "cn-sh", labels: { x: "1" }, gone: 1 };
    const after = { name: "a", region: "cn-bj", labels: { x: "2" }, added: true };
    expect(changedFields(before, after)).toEqual(["added", "gone", "labels", "region"]);
  });

  it("is empty when nothing changed", () => {
    expect(changedFields({ a: [1, 2] }, { a: [1, 2] })).toEqual([]);
  });

  it("says nothing for a created or removed record, or for lists", () => {
    expect(changedFields(null, { a: 1 })).toBeNull();
    expect(changedFields({ a: 1 }, undefined)).toBeNull();
    expect(changedFields([1], [1, 2])).toBeNull();
  });
});
