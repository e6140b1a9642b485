/** What the importer reads and answers. Plain data, shared by the domain, the router and the page. */
import type { Text } from "../../../../lib/text";

/** A row's problem or note: a text code the page renders in the reader's language. */
export type RowText = Text | string;

export type ImportKind = "hosts" | "instances";
export type ImportFormat = "csv" | "json";

/** One row as read from the file: values keyed by canonical column name, not yet checked. */
export type RawRow = {
  /** CSV: the line in the file (the header is line 1); JSON: the element's position in the array, from 1 */
  line: number;
  values: Record<string, unknown>;
  /** problems the reader already found (wrong field count, not an object) */
  problems: RowText[];
};

export type RowReport = {
  line: number;
  status: "ok" | "error";
  /** why the row is refused, one sentence per column at fault; empty when ok */
  messages: RowText[];
  /** what importing the row will also do (a rack or service that will be created) */
  notes: RowText[];
  /** the row in a few words, e.g. "10.1.2.3 · cache-01 · sh01/r01" */
  summary: string;
};

export type ImportReport = {
  kind: ImportKind;
  format: ImportFormat;
  rows: RowReport[];
  valid: number;
  invalid: number;
  /** about the file as a whole, e.g. a column that is not known and was ignored */
  notes: RowText[];
};

export type ImportCreated = { hosts: number; racks: number; services: number; instances: number };

export type ImportResult = { created: ImportCreated; skipped: number; report: ImportReport };
