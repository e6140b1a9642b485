import Papa from "papaparse";
import { text as say } from "../../../../lib/text";
import { badInput } from "../../errors";
import { canonicalColumn, columnsOf, REQUIRED_COLUMNS } from "./columns";
import type { ImportFormat, ImportKind, RawRow, RowText } from "./types";

/** What one import may carry: enough for a whole datacenter, small enough to check in one request. */
export const IMPORT_LIMITS = { maxBytes: 5 * 1024 * 1024, maxRows: 20_000 } as const;

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const TOO_BIG = { maxSize: mb(IMPORT_LIMITS.maxBytes), maxRows: IMPORT_LIMITS.maxRows };

export function assertImportSize(text: string): void {
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > IMPORT_LIMITS.maxBytes) throw badInput(say("refusals.import.tooBig", { size: mb(bytes), ...TOO_BIG }));
}

const stripBom = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

/** JSON when the text opens an array (or an object, to say that it must be an array); CSV otherwise. */
export function detectFormat(text: string): ImportFormat {
  const first = stripBom(text).trimStart()[0];
  return first === "[" || first === "{" ? "json" : "csv";
}

export type ParsedImport = { format: ImportFormat; rows: RawRow[]; notes: RowText[] };

/** Reads CSV (header row first) or JSON (an array of objects) into rows keyed by canonical column. */
export function parseImportText(kind: ImportKind, text: string, format: ImportFormat | "auto" = "auto"): ParsedImport {
  assertImportSize(text);
  const body = stripBom(text);
  if (body.trim() === "") throw badInput(say("refusals.import.empty"));
  const f = format === "auto" ? detectFormat(body) : format;
  const parsed = f === "json" ? readJson(kind, body) : readCsv(kind, body);
  if (parsed.rows.length === 0) throw badInput(say("refusals.import.noRows", { format: f }));
  if (parsed.rows.length > IMPORT_LIMITS.maxRows) throw badInput(say("refusals.import.tooManyRows", { rows: parsed.rows.length, ...TOO_BIG }));
  return { format: f, ...parsed };
}

const unknownNote = (kind: ImportKind, unknown: Iterable<string>) => {
  const list = [...unknown].map((c) => `"${c}"`).join(", ");
  return list ? [say("refusals.import.row.unknownColumns", { list, kind, known: columnsOf(kind).join(", ") })] : [];
};

/** CSV cells are text: trimmed, and an empty cell means "not given". */
const cell = (v: string | undefined): string | undefined => {
  const t = v?.trim();
  return t ? t : undefined;
};

function readCsv(kind: ImportKind, text: string): Omit<ParsedImport, "format"> {
  // The delimiter comes from the header alone: labels hold ';' (k=v;k2=v2), which would fool a guess.
  const headerLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = headerLine.includes("\t") && !headerLine.includes(",") ? "\t" : ",";
  const records: { data: string[]; line: number; errors: string[] }[] = [];
  // Line numbers follow the file: count line breaks up to where each record ends, minus its own and those inside its quoted cells.
  let pos = 0;
  let newlines = 0;
  Papa.parse<string[]>(text, {
    header: false,
    delimiter,
    skipEmptyLines: "greedy",
    comments: "#",
    step: (r) => {
      const end = r.meta.cursor;
      for (; pos < end; pos++) if (text.charCodeAt(pos) === 10) newlines++;
      // the cursor stands after the record's own line break, when it has one
      const own = end > 0 && text.charCodeAt(end - 1) === 10 ? 1 : 0;
      const inside = r.data.reduce((n, v) => n + (v.match(/\n/g)?.length ?? 0), 0);
      records.push({ data: r.data, line: newlines - own - inside + 1, errors: r.errors.map((e) => e.message) });
    },
  });
  const [header, ...data] = records;
  if (!header) return { rows: [], notes: [] };

  const columns = header.data.map((h) => canonicalColumn(kind, h));
  const unknown = header.data.filter((h, i) => h.trim() !== "" && columns[i] === null).map((h) => h.trim());
  const seen = new Map<string, number>();
  columns.forEach((c, i) => {
    if (c === null) return;
    if (seen.has(c)) throw badInput(say("refusals.import.columnTwice", { column: c, a: seen.get(c)! + 1, b: i + 1 }));
    seen.set(c, i);
  });
  const missing = REQUIRED_COLUMNS[kind].filter((c) => !seen.has(c));
  if (kind === "hosts" && !seen.has("memoryMb") && !seen.has("memoryGb")) missing.push("memoryMb (or memoryGb)");
  if (missing.length) {
    const example = columnsOf(kind)
      .filter((c) => c !== "memoryGb")
      .join(",");
    throw badInput(say("refusals.import.columnsMissing", { line: header.line, missing: missing.join(", "), example }));
  }

  const rows: RawRow[] = data.map((rec) => {
    const values: Record<string, unknown> = {};
    columns.forEach((c, i) => {
      if (c !== null) values[c] = cell(rec.data[i]);
    });
    const problems: RowText[] = [];
    if (rec.data.length !== header.data.length) {
      problems.push(say("refusals.import.row.fieldCount", { fields: rec.data.length, header: header.data.length }));
    } else if (rec.errors.length) {
      problems.push(...rec.errors.map((e) => say("refusals.import.row.notCsv", { why: e })));
    }
    return { line: rec.line, values, problems };
  });
  return { rows, notes: unknownNote(kind, unknown) };
}

function readJson(kind: ImportKind, text: string): Omit<ParsedImport, "format"> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw badInput(say("refusals.import.notJson", { why: (e as Error).message, kind }));
  }
  if (!Array.isArray(data)) {
    throw badInput(say("refusals.import.notArray", { kind, type: typeof data === "object" && data ? "object" : typeof data }));
  }
  const unknown = new Set<string>();
  const rows = data.map((item, i): RawRow => {
    const line = i + 1;
    if (typeof item !== "object" || item === null || Array.isArray(item)) {
      return {
        line,
        values: {},
        problems: [say("refusals.import.row.notObject", { line, type: Array.isArray(item) ? "array" : item === null ? "null" : typeof item })],
      };
    }
    const values: Record<string, unknown> = {};
    const problems: RowText[] = [];
    for (const [k, v] of Object.entries(item)) {
      const c = canonicalColumn(kind, k);
      if (c === null) {
        unknown.add(k);
        continue;
      }
      if (values[c] !== undefined) problems.push(say("refusals.import.row.keyTwice", { key: k, column: c }));
      values[c] = v === null ? undefined : typeof v === "string" ? cell(v) : v;
    }
    return { line, values, problems };
  });
  return { rows, notes: unknownNote(kind, unknown) };
}
