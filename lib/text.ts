import type automation from "../i18n/messages/en/automation.json";
import type errors from "../i18n/messages/en/errors.json";
import type jobs from "../i18n/messages/en/jobs.json";
import type libraLog from "../i18n/messages/en/libraLog.json";
import type refusals from "../i18n/messages/en/refusals.json";
import type sizing from "../i18n/messages/en/sizing.json";

/**
 * A text for a person, as the server stores and sends it: a message key of i18n/messages with its
 * parameters. The page renders it in the reader's language; the server renders the English for
 * logs and API callers. A parameter may itself be a text (a step's name inside its failure line).
 */
export type Text = { code: string; params?: TextParams };
export type TextParams = { [name: string]: string | number | Text };

/** Every key of a message file, "a.b.c", so a code that has no English text does not compile. */
type Leaves<T, P extends string = ""> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];

/** The catalogue of server texts: these message files, each key checked against zh-CN by lib/text.test.ts. */
export const TEXT_AREAS = ["automation", "errors", "jobs", "libraLog", "refusals", "sizing"] as const;
export type TextCode = Leaves<{
  automation: typeof automation;
  errors: typeof errors;
  jobs: typeof jobs;
  libraLog: typeof libraLog;
  refusals: typeof refusals;
  sizing: typeof sizing;
}>;

export const text = (code: TextCode, params?: TextParams): Text => (params ? { code, params } : { code });

/** Several texts as one ("a; b; c", "a, b, c" or "a or b"), each still rendered in the reader's language. */
export const joinTexts = (parts: readonly (Text | string)[], by: "semicolon" | "comma" | "or" = "semicolon"): Text | string =>
  parts.length === 0
    ? ""
    : parts.reduce((a, b) => text(by === "comma" ? "refusals.list.comma" : by === "or" ? "refusals.list.or" : "refusals.list.join", { a, b }));

/** A field's refusal, named: "memoryRedPct: must be at least the amber threshold (95)". */
export const fieldText = (field: string, message: Text | string): Text => text("refusals.list.field", { field, message });

export const isText = (v: unknown): v is Text => !!v && typeof v === "object" && typeof (v as Text).code === "string";

export type Translator = { (key: string, values?: Record<string, string | number>): string; has: (key: string) => boolean };

/**
 * A stored text in a language: a code is translated with its parameters (nested texts first), a
 * plain string — a row written before texts were codes, or a foreign system's own words — shows as it is.
 */
export function renderText(t: Translator, v: Text | string | null | undefined): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return v;
  if (!t.has(v.code)) return v.code;
  const values: Record<string, string | number> = {};
  for (const [k, p] of Object.entries(v.params ?? {})) values[k] = isText(p) ? renderText(t, p) : p;
  return t(v.code, values);
}
