import { describe, expect, it } from "vitest";
import { z } from "zod";
import { restInput } from "./rest-input";

const schema = z.object({
  id: z.number().int(),
  page: z.number().int().default(1),
  mine: z.boolean().optional(),
  until: z.date().nullable().optional(),
  ids: z.array(z.number()).optional(),
  name: z.string().optional(),
  nested: z.object({ count: z.number() }).optional(),
  big: z.bigint().optional(),
});

describe("restInput", () => {
  it("turns query and path text into the schema's types, on a copy", () => {
    const given = { id: "7", page: "2", mine: "false", until: "2026-01-02T03:04:05Z", ids: "5", name: "12", nested: { count: "3" }, big: "9007199254740993" };
    const out = restInput(schema, given) as Record<string, unknown>;
    expect(out).toEqual({
      id: 7,
      page: 2,
      mine: false,
      until: new Date("2026-01-02T03:04:05Z"),
      ids: [5],
      name: "12",
      nested: { count: 3 },
      big: BigInt("9007199254740993"),
    });
    expect(given.id).toBe("7");
    expect(schema.parse(out)).toMatchObject({ id: 7, mine: false });
  });

  it("leaves what is not a faithful spelling for the schema to refuse", () => {
    const out = restInput(schema, { id: "7x", mine: "yes", until: "someday", page: "" }) as Record<string, unknown>;
    expect(out).toEqual({ id: "7x", mine: "yes", until: "someday", page: "" });
    expect(schema.safeParse(out).success).toBe(false);
    expect(restInput(schema, { mine: "1", until: null })).toEqual({ mine: true, until: null });
  });

  it("does not mark the schema coercing: the same schema still refuses text afterwards", () => {
    restInput(schema, { id: "1", mine: "true" });
    expect(schema.safeParse({ id: "1" }).success).toBe(false);
    expect(schema.safeParse({ id: 1, mine: "true" }).success).toBe(false);
  });

  it("reads through transforms and refinements to the object's fields", () => {
    const piped = z
      .object({ n: z.number() })
      .refine((v) => v.n > 0)
      .transform((v) => v.n);
    expect(restInput(piped, { n: "4" })).toEqual({ n: 4 });
  });
});
