import { stringify } from "yaml";

export type Format = "table" | "json" | "yaml";
export const FORMATS: Format[] = ["table", "json", "yaml"];

type Column<T> = [header: string, value: (row: T) => unknown];

const cell = (v: unknown) => (v === null || v === undefined ? "-" : v instanceof Date ? v.toISOString() : String(v));

/** Rows as aligned columns for people; the same rows as JSON or YAML for scripts. */
export function printRows<T>(format: Format, rows: T[], columns: Column<T>[], write = (s: string): void => void process.stdout.write(s)): void {
  if (format === "json") return write(JSON.stringify(rows, null, 2) + "\n");
  if (format === "yaml") return write(stringify(rows));
  const table = [columns.map((c) => c[0]), ...rows.map((r) => columns.map((c) => cell(c[1](r))))];
  const widths = columns.map((_, i) => Math.max(...table.map((line) => line[i]!.length)));
  write(table.map((line) => line.map((v, i) => (i === line.length - 1 ? v : v.padEnd(widths[i]!))).join("  ")).join("\n") + "\n");
}

/** One object: key/value lines for people, JSON or YAML for scripts. */
export function printObject(format: Format, obj: Record<string, unknown>, write = (s: string): void => void process.stdout.write(s)): void {
  if (format === "json") return write(JSON.stringify(obj, null, 2) + "\n");
  if (format === "yaml") return write(stringify(obj));
  const scalar = Object.entries(obj).filter(([, v]) => v === null || typeof v !== "object" || v instanceof Date);
  const width = Math.max(...scalar.map(([k]) => k.length));
  write(scalar.map(([k, v]) => `${k.padEnd(width)}  ${cell(v)}`).join("\n") + "\n");
}
