/**
 * Redis INFO text → plain data. Sections are flattened (field names are unique across sections);
 * the structured sections (commandstats, latencystats, errorstats, keyspace) get their own shapes.
 */
export interface RedisInfo {
  fields: Record<string, string>;
  /** per command: cumulative calls and µs since start (or CONFIG RESETSTAT) */
  commands: Record<string, { calls: number; usec: number }>;
  /** per command: latency percentiles in µs since start (Redis 7 latencystats) */
  latencyPercentiles: Record<string, { p50?: number; p99?: number; p999?: number }>;
  /** per error prefix: cumulative count */
  errors: Record<string, number>;
  /** total keys over every database */
  keys: number;
}

/** "a=1,b=2" → { a: "1", b: "2" } */
export function parseKeyValues(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of value.split(",")) {
    const eq = part.indexOf("=");
    if (eq > 0) out[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return out;
}

const CALLS = /calls=(\d+),usec=(\d+)/;
const KEYS = /keys=(\d+)/;
const COUNT = /count=(\d+)/;

/** Runs for every poll: one pass over the lines, the common fields by a plain split, the rest by a small regex. */
export function parseInfo(text: string): RedisInfo {
  const info: RedisInfo = { fields: {}, commands: {}, latencyPercentiles: {}, errors: {}, keys: 0 };
  for (const line of text.split(/\r?\n/)) {
    if (line.length === 0 || line.charCodeAt(0) === 35 /* # */) continue;
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const name = line.slice(0, colon);
    if (name.startsWith("cmdstat_")) {
      const m = CALLS.exec(line);
      if (m) info.commands[name.slice(8)] = { calls: Number(m[1]), usec: Number(m[2]) };
    } else if (name.startsWith("latency_percentiles_usec_")) {
      const kv = parseKeyValues(line.slice(colon + 1));
      info.latencyPercentiles[name.slice(25)] = { p50: num(kv.p50), p99: num(kv.p99), p999: num(kv["p99.9"]) };
    } else if (name.startsWith("errorstat_")) {
      info.errors[name.slice(10)] = Number(COUNT.exec(line)?.[1] ?? 0);
    } else if (name.startsWith("db") && /^db\d+$/.test(name)) {
      info.keys += Number(KEYS.exec(line)?.[1] ?? 0);
    } else {
      info.fields[name] = line.slice(colon + 1);
    }
  }
  return info;
}

const num = (v: string | undefined) => (v === undefined || v === "" ? undefined : Number(v));

/** A numeric INFO field, or undefined when this Redis does not report it. */
export function infoNumber(info: RedisInfo, name: string): number | undefined {
  const v = info.fields[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}
