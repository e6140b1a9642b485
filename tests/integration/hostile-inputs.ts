import fc from "fast-check";
import { z } from "zod";

/**
 * Inputs derived from a procedure's own zod schema (through its JSON Schema): mostly plausible
 * values, so calls reach the domain and the database, with hostile ones mixed in at every level —
 * the schema's own boundaries and one past them, ids above 2³¹, 1e308, NaN, long and unicode
 * strings, wrong types, missing and extra fields.
 */
type Js = {
  type?: string | string[];
  properties?: Record<string, Js>;
  required?: string[];
  items?: Js;
  prefixItems?: Js[];
  additionalProperties?: Js | boolean;
  anyOf?: Js[];
  oneOf?: Js[];
  allOf?: Js[];
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
  default?: unknown;
};

const INT4 = 2 ** 31;
const WRONG_TYPES = [null, true, "1", [], {}, -1];
const UNICODE = ["𝕳𝖊𝖉𝖜𝖎𝖌", "红包🧧大促", "\u202eevil\u0000nul", "' OR 1=1; --", "<script>alert(1)</script>", "../../etc/passwd", " \t\n "];
const HUGE_NUMBERS = [INT4, INT4 - 1, -INT4 - 1, 2 ** 53 + 2, 1e308, -1e308, Number.NaN, Number.POSITIVE_INFINITY, 0.5, -0, 0];
const HOSTILE_DATES = [new Date(-8.64e15), new Date(8.64e15), new Date(Number.NaN), "not a date", "9999-12-31T23:59:59Z", 1e20];

export function jsonSchemaOf(schema: unknown): Js {
  return z.toJSONSchema(schema as z.ZodType, { unrepresentable: "any", io: "input" }) as Js;
}

const typeOf = (js: Js): string | undefined => (Array.isArray(js.type) ? js.type[0] : js.type);

/** One past each side of what the schema allows, and the usual suspects. */
function hostile(js: Js): fc.Arbitrary<unknown> {
  const t = typeOf(js);
  const out: unknown[] = [...WRONG_TYPES];
  if (t === "integer" || t === "number") {
    out.push(...HUGE_NUMBERS);
    if (js.minimum !== undefined) out.push(js.minimum - 1, js.minimum);
    if (js.maximum !== undefined) out.push(js.maximum + 1, js.maximum);
    if (js.exclusiveMinimum !== undefined) out.push(js.exclusiveMinimum);
    if (js.exclusiveMaximum !== undefined) out.push(js.exclusiveMaximum);
  } else if (t === "string") {
    out.push(...UNICODE, "", "x".repeat(100_000), "字".repeat(5000));
    if (js.maxLength !== undefined) out.push("y".repeat(js.maxLength + 1), "é".repeat(js.maxLength));
  } else if (t === "array") {
    out.push(
      "not a list",
      [null],
      Array.from({ length: (js.maxItems ?? 10_000) + 1 }, (_, i) => i + 1),
    );
  } else if (t === "object") {
    out.push({ __proto__: { polluted: true } }, { unexpected: "field" }, "not an object");
  } else if (!t && !js.anyOf && !js.oneOf && !js.enum && js.const === undefined) {
    out.push(...HOSTILE_DATES); // an unrepresentable type: in these routers, dates
  }
  return fc.constantFrom(...out);
}

/** Plausible values that respect the schema, so the call gets past validation. */
function plausible(js: Js, hostileWeight: number, depth: number): fc.Arbitrary<unknown> {
  if (js.const !== undefined) return fc.constant(js.const);
  if (js.enum) return fc.constantFrom(...js.enum);
  const alternatives = js.anyOf ?? js.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((a) => arbitraryFor(a, hostileWeight, depth + 1)));
  if (js.allOf?.length) return arbitraryFor(js.allOf[0]!, hostileWeight, depth + 1);
  const t = typeOf(js);
  switch (t) {
    case "integer": {
      const min = js.minimum ?? (js.exclusiveMinimum !== undefined ? Math.floor(js.exclusiveMinimum) + 1 : -1000);
      const max = js.maximum ?? (js.exclusiveMaximum !== undefined ? Math.ceil(js.exclusiveMaximum) - 1 : INT4 - 1);
      // small ids find the fixture's rows; the boundaries find the edges
      return fc.oneof(
        fc.integer({ min: Math.max(min, -1000), max: Math.min(max, Math.max(min, 0) + 20) }),
        fc.constantFrom(min, max),
        fc.integer({ min, max }),
      );
    }
    case "number": {
      const min = js.minimum ?? js.exclusiveMinimum ?? -1e6;
      const max = js.maximum ?? js.exclusiveMaximum ?? 1e6;
      return fc.oneof(fc.double({ min, max, noNaN: true, noDefaultInfinity: true }), fc.constantFrom(min, max));
    }
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "string": {
      const maxLength = Math.min(js.maxLength ?? 40, 40);
      const minLength = Math.min(js.minLength ?? 0, maxLength);
      if (js.pattern) return fc.stringMatching(new RegExp(js.pattern)).filter((s) => s.length >= minLength && s.length <= (js.maxLength ?? Infinity));
      if (js.format === "uuid") return fc.uuid();
      if (js.format === "email") return fc.emailAddress();
      if (js.format === "ipv4") return fc.ipV4();
      if (js.format === "uri") return fc.webUrl();
      return fc.string({ minLength, maxLength, unit: "grapheme" });
    }
    case "array": {
      const item = js.items ?? {};
      return fc.array(arbitraryFor(item, hostileWeight, depth + 1), {
        minLength: js.minItems ?? 0,
        maxLength: Math.max(js.minItems ?? 0, Math.min(js.maxItems ?? 4, 4)),
      });
    }
    case "object": {
      const props = js.properties ?? {};
      const required = new Set(js.required ?? []);
      const fields = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, arbitraryFor(v, hostileWeight, depth + 1)]));
      // optional fields come and go; required ones are there unless a hostile value drops the whole object
      return fc.record(fields, { requiredKeys: [...required].filter((k) => k in fields) as never[] });
    }
    default:
      // an unrepresentable type (a date in these routers)
      return fc.constantFrom(new Date(), new Date(Date.now() + 86_400_000), "2026-06-01T00:00:00Z", new Date("2024-01-01"));
  }
}

/** At each level, a hostile value with weight `hostileWeight` against 5 for a plausible one. */
export function arbitraryFor(js: Js, hostileWeight = 1, depth = 0): fc.Arbitrary<unknown> {
  if (depth > 6) return fc.constant(undefined);
  if (hostileWeight === 0) return plausible(js, 0, depth);
  return fc.oneof({ arbitrary: plausible(js, hostileWeight, depth), weight: 5 }, { arbitrary: hostile(js), weight: hostileWeight });
}

/** `count` inputs for a procedure's input schema (its first parser; none for procedures without input). */
export function inputsFor(schema: unknown, count: number, seed: number): unknown[] {
  if (!schema) return [undefined, null, { unexpected: 1 }];
  const js = jsonSchemaOf(schema);
  const all = fc.oneof({ arbitrary: arbitraryFor(js, 0), weight: 1 }, { arbitrary: arbitraryFor(js, 1), weight: 3 });
  return [...fc.sample(all, { numRuns: count, seed }), undefined, "a string instead of an object", 2 ** 31];
}
