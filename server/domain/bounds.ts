import { z } from "zod";

/**
 * What the database's columns can hold, in one place: ids and counts are PostgreSQL `integer`
 * (int4), so a number beyond 2³¹−1 must be refused at the input (as a 400 naming the field),
 * not reach the database (where it becomes an error the API cannot explain).
 */
export const INT4_MAX = 2_147_483_647;

/** A row id: a whole number from 1 to 2³¹−1. */
export const idSchema = z
  .number({ message: "refusals.fields.idInt" })
  .int("refusals.fields.idInt")
  .min(1, "refusals.fields.idRange")
  .max(INT4_MAX, "refusals.fields.idRange");

/** A whole number in [min, max] with one message naming the range (zod's own message says only one side). */
export function intIn(min: number, max: number, what = "this") {
  const msg = `${what} is a whole number from ${min} to ${max}`;
  return z.number({ message: msg }).int(msg).min(min, msg).max(max, msg);
}

/** A page number: well within int4 once multiplied by a page size (offsets are int4 in PostgreSQL's plans too). */
export const pageNumberSchema = intIn(1, 100_000, "page");

/** The largest host the inventory accepts, per resource; a figure beyond it is a typing error, not a machine. */
export const RESOURCE_LIMITS = {
  cpuCores: 1024,
  memoryMb: 64 * 1024 * 1024,
  diskGb: 1024 * 1024,
  bandwidthMbps: 1_000_000,
} as const;

const EARLIEST = new Date("2000-01-01T00:00:00Z");
const LATEST = new Date("2200-01-01T00:00:00Z");
/** A date the console can mean: JavaScript reaches years PostgreSQL's timestamp cannot store. */
export function dateSchema(what = "the date") {
  const msg = `${what} is a date from 2000-01-01 to 2200-01-01`;
  return z.coerce.date({ message: msg }).min(EARLIEST, msg).max(LATEST, msg);
}
