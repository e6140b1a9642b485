import { text } from "../../../../lib/text";
import type { RowText } from "./types";
/**
 * Turns cells (text in CSV, any JSON value) into what the zod schemas expect. A value that cannot be
 * converted is passed on unchanged, so the schema refuses it with the column's own message.
 */

const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/** "32" → 32; "" / undefined → undefined; "abc" stays "abc" (the schema says it is not a number). */
export function toNumber(v: unknown): unknown {
  if (typeof v === "string") {
    const t = v.trim().replace(/_/g, "");
    return t === "" ? undefined : NUMBER.test(t) ? Number(t) : v;
  }
  return v;
}

/** Text columns: JSON numbers are accepted as their text (a version 7 is "7"). */
export function toText(v: unknown): unknown {
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (typeof v === "string") return v.trim() === "" ? undefined : v.trim();
  return v;
}

/** Enum columns: case and separators do not matter ("mixed-department" is MIXED_DEPARTMENT). */
export function toEnum(v: unknown, aliases: Record<string, string> = {}): unknown {
  if (typeof v !== "string") return v;
  const t = v
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, "_");
  if (t === "") return undefined;
  return aliases[t] ?? t;
}

export type LabelsResult = { labels: unknown; problems: RowText[] };

/**
 * Labels are `key=value;key2=value2` in CSV (',' also separates when the cell is quoted), an object
 * in JSON (the text form is accepted there too). Keys and values are checked by the schema.
 */
export function toLabels(v: unknown): LabelsResult {
  if (v === undefined || v === null) return { labels: {}, problems: [] };
  if (typeof v === "object" && !Array.isArray(v)) {
    const labels: Record<string, unknown> = {};
    const problems: RowText[] = [];
    for (const [k, val] of Object.entries(v)) {
      if (typeof val === "string" || typeof val === "number" || typeof val === "boolean") labels[k] = String(val);
      else problems.push(text("refusals.import.row.labelNotText", { key: k, type: val === null ? "null" : typeof val }));
    }
    return { labels, problems };
  }
  if (typeof v !== "string") return { labels: v, problems: [text("refusals.import.row.labelsShape", { type: Array.isArray(v) ? "array" : typeof v })] };
  const labels: Record<string, string> = {};
  const problems: RowText[] = [];
  for (const part of v.split(/[;,]/)) {
    const p = part.trim();
    if (!p) continue;
    const eq = p.indexOf("=");
    if (eq < 0) {
      problems.push(text("refusals.import.row.labelNoEquals", { part: p }));
      continue;
    }
    const key = p.slice(0, eq).trim();
    const value = p.slice(eq + 1).trim();
    if (!key) {
      problems.push(text("refusals.import.row.labelNoKey", { part: p }));
      continue;
    }
    if (key in labels) {
      problems.push(text("refusals.import.row.labelTwice", { key }));
      continue;
    }
    labels[key] = value;
  }
  return { labels, problems };
}

/** "10.1.2.3:6379" → { ip, port }; null when it is not written that way. */
export function parseAddress(v: unknown): { ip: string; port: number } | null {
  if (typeof v !== "string") return null;
  const m = /^\s*(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})\s*$/.exec(v);
  return m ? { ip: m[1]!, port: Number(m[2]) } : null;
}
