import { z } from "zod";
import type { AnyRouter } from "@trpc/server";

/**
 * /api/v1's input as its procedures expect it, without touching their schemas.
 *
 * trpc-to-openapi (3.3) coerces query, path and body values by setting `coerce = true` on the
 * procedure's own zod schemas, nested ones included, on every call. Those schemas are shared with
 * tRPC (and with the pages' forms), so after the first REST call a console call of the same
 * procedure accepted "5" for a number and "false" as true. Here the library gets a router whose
 * procedures carry stand-in schemas (for its routing and its query-array handling only), and its
 * calls go to the real procedures after `restInput` has turned text into the types the schema asks
 * for, on a copy of the input.
 */

type Def = {
  type: string;
  innerType?: z.ZodType;
  element?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  in?: z.ZodType;
  out?: z.ZodType;
  getter?: () => z.ZodType;
};
const defOf = (s: z.ZodType) => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Through optional, nullable, default, lazy and transform wrappers to the type that reads the value. */
function core(s: z.ZodType): z.ZodType {
  const d = defOf(s);
  if (d.innerType && ["optional", "nullable", "default", "prefault", "readonly", "catch", "nonoptional"].includes(d.type)) return core(d.innerType);
  if (d.type === "lazy" && d.getter) return core(d.getter());
  if (d.type === "pipe" && d.in) return core(defOf(d.in).type === "transform" ? d.out! : d.in);
  return s;
}

const NUMBER = /^\s*-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/;

/**
 * A copy of `value` where text stands for what `schema` wants: "12" for a number, "true"/"false"
 * (or "1"/"0") for a boolean, an ISO time for a date (JSON has none), one query value for an array.
 * Anything else is left as it came, so the schema refuses it with its own message.
 */
export function restInput(schema: z.ZodType, value: unknown): unknown {
  if (value === undefined || value === null) return value;
  const s = core(schema);
  const d = defOf(s);
  switch (d.type) {
    case "object": {
      if (typeof value !== "object" || Array.isArray(value)) return value;
      const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
      for (const [k, field] of Object.entries(d.shape ?? {})) if (k in out) out[k] = restInput(field, out[k]);
      return out;
    }
    case "array":
      return (Array.isArray(value) ? value : [value]).map((v) => restInput(d.element!, v));
    case "number":
      return typeof value === "string" && NUMBER.test(value) ? Number(value) : value;
    case "bigint":
      return typeof value === "string" && /^\s*-?\d+\s*$/.test(value) ? BigInt(value.trim()) : value;
    case "boolean":
      return value === "true" || value === "1" ? true : value === "false" || value === "0" ? false : value;
    case "date": {
      if (typeof value !== "string") return value;
      const t = new Date(value);
      return Number.isNaN(t.getTime()) ? value : t;
    }
    default:
      return value;
  }
}

/** What the library may see of a schema: the keys, which of them are arrays, which are optional, all as text. */
function standIn(schema: z.ZodType): z.ZodType {
  const s = core(schema);
  if (defOf(s).type !== "object") return schema;
  const shape = Object.fromEntries(
    Object.entries(defOf(s).shape ?? {}).map(([k, field]) => {
      const text = defOf(core(field)).type === "array" ? z.array(z.string()) : z.string();
      return [k, field.safeParse(undefined).success ? text.optional() : text];
    }),
  );
  return z.object(shape);
}

type Procedure = { _def: { inputs: z.ZodType[]; meta?: { openapi?: unknown } } };
type Caller = Record<string, unknown>;

/** The router handed to trpc-to-openapi: stand-in inputs, and a caller that converts the input and calls the real procedure. */
export function restRouter<R extends AnyRouter>(router: R, createCaller: (ctx: never) => Caller): R {
  const real = router._def.procedures as Record<string, Procedure>;
  const procedures = Object.fromEntries(
    Object.entries(real).map(([path, p]) => (p._def.meta?.openapi ? [path, { ...p, _def: { ...p._def, inputs: p._def.inputs.map(standIn) } }] : [path, p])),
  );
  const call = (ctx: never) => {
    const caller = createCaller(ctx);
    // The library reaches a procedure segment by segment ("requests" then "approve").
    const at = (path: string[]): unknown =>
      new Proxy(() => undefined, {
        get: (_t, key) => (typeof key === "string" ? at([...path, key]) : undefined),
        apply: (_t, _this, [input]: unknown[]) => {
          let fn: unknown = caller;
          for (const part of path) fn = (fn as Caller)[part];
          // Chained .input()s are merged objects: each converts its own keys.
          const converted = real[path.join(".")]!._def.inputs.reduce<unknown>((v, s) => restInput(s, v), input);
          return (fn as (i: unknown) => Promise<unknown>)(converted);
        },
      });
    return at([]);
  };
  return { ...router, _def: { ...router._def, procedures }, createCaller: call } as unknown as R;
}
