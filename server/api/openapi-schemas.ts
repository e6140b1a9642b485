import { z } from "zod";
import type { OpenApiMeta } from "trpc-to-openapi";

/**
 * What /api/v1 exposes of a procedure: its path and method (`rest`) and the shape of its answer.
 * The answers are loose objects: they name the fields a client may rely on and let the rest through,
 * so the tRPC pages keep every field they read and the document stays one source with the procedure.
 */
export const rest = (method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE", path: `/${string}`, summary: string, tags: string[]): OpenApiMeta => ({
  openapi: {
    method,
    path,
    summary,
    tags,
    protect: true,
    errorResponses: { 400: "bad input", 401: "no or bad token", 403: "not allowed", 404: "not found", 409: "conflict" },
  },
});

/**
 * The answer's schema, typed as what the domain function returns: the schema checks the fields it
 * names at run time (and documents them), the pages keep the domain's precise type.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const typed = <F extends (...args: any[]) => unknown>(schema: z.ZodType, _domain: F) => schema as unknown as z.ZodType<Awaited<ReturnType<F>>>;

const id = z.number().int();

export const pageOf = <T extends z.ZodType>(row: T) => z.looseObject({ total: z.number().int(), rows: z.array(row) });

export const serviceRowOut = z.looseObject({
  id,
  name: z.string(),
  kind: z.string(),
  status: z.string(),
  productLine: z.looseObject({ id, code: z.string(), name: z.string() }),
  instances: z.number().int(),
  entry: z.string().nullable(),
});
export const instanceOut = z.looseObject({
  id,
  serviceId: id,
  port: z.number().int(),
  software: z.string(),
  role: z.string(),
  state: z.string(),
  shardIndex: z.number().int().nullable(),
  host: z.looseObject({ id, ip: z.string() }),
});
export const serviceOut = z.looseObject({
  id,
  name: z.string(),
  kind: z.string(),
  status: z.string(),
  productLineId: id,
  instances: z.array(instanceOut),
});
export const jobOut = z.looseObject({ id: z.string(), kind: z.string(), status: z.string() });
export const jobDetailOut = jobOut.extend({
  error: z.string().nullable(),
  steps: z.array(z.looseObject({ index: z.number().int(), name: z.string(), status: z.string(), error: z.string().nullable() })),
});
export const requestOut = z.looseObject({ id, status: z.string(), productLineId: id, requesterId: id });
export const healthOut = z.looseObject({});
export const capacityOut = z.looseObject({});
export const placeOut = z.looseObject({});
export const allocationOut = z.looseObject({ id: z.string(), status: z.string() });
export const poolOut = z.looseObject({ id, name: z.string() });
export const applicationOut = z.looseObject({
  id,
  name: z.string(),
  members: z.array(z.looseObject({ id, ip: z.string(), port: z.number().int(), state: z.string() })),
});
export const memberOut = z.looseObject({ id, ip: z.string(), port: z.number().int(), weight: z.number().int(), state: z.string() });
export const emergencyOut = z.looseObject({ runId: id, ok: z.boolean(), member: memberOut });
export const incidentOut = z.looseObject({ id, importance: z.number().int() });
export const incidentAckOut = z.looseObject({ id });
export const incidentRefOut = z.looseObject({ incidentId: id, opened: z.boolean(), resolved: z.boolean() });
const chip = z.looseObject({ serviceId: id, name: z.string() });
export const boardOut = z.looseObject({
  counts: z.looseObject({ RED: z.number().int(), AMBER: z.number().int(), GREEN: z.number().int() }),
  openIncidents: z.number().int(),
  groups: z.array(
    z.looseObject({
      productLine: z.looseObject({ code: z.string() }),
      worst: z.string(),
      problems: z.array(chip.extend({ level: z.string() })),
      healthy: z.array(chip),
    }),
  ),
});
