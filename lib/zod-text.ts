import type { Text } from "./text";

/**
 * Zod's own verdicts (a field without a message of its schema) as codes of i18n/messages/*\/errors.json
 * instead of zod's English, so the tRPC error formatter renders them in the reader's language with
 * the issue's bounds. Schemas that say it better give a code of the catalogue as their message.
 */
export function zodIssueCode(issue: { code: string; origin?: string; format?: string }): string {
  switch (issue.code) {
    case "too_small":
    case "too_big":
      return `errors.zod.${issue.code}.${issue.origin === "string" || issue.origin === "array" || issue.origin === "date" ? issue.origin : "number"}`;
    case "invalid_type":
    case "invalid_value":
    case "unrecognized_keys":
    case "not_multiple_of":
      return `errors.zod.${issue.code}`;
    case "invalid_format":
      return "errors.zod.invalid_format";
    default:
      return "errors.zod.invalid";
  }
}

export type Issue = {
  message: string;
  code?: string;
  origin?: string;
  minimum?: unknown;
  maximum?: unknown;
  path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>;
};

/** a bound as JSON can carry it: numbers (bigints too) as numbers, dates as ISO text */
export const bound = (v: unknown) => (typeof v === "number" || typeof v === "bigint" ? Number(v) : v instanceof Date ? v.toISOString() : undefined);
export const issuePath = (i: Issue) => (i.path ?? []).map((p) => String(typeof p === "object" ? p.key : p)).join(".");

/** zod's default English ("Too small: expected number to be >=1"), which no schema here writes */
const ZOD_DEFAULT = /^(Too (small|big)|Invalid |Unrecognized key)/;

/**
 * An issue's message as a text: a code of the catalogue (a schema's message, or zod's own verdict)
 * with the field and its bounds; a schema's plain sentence stays as written.
 */
export function zodIssueText(i: Issue, isCode: (message: string) => boolean): Text | string {
  const code = isCode(i.message) ? i.message : ZOD_DEFAULT.test(i.message) ? zodIssueCode({ code: i.code ?? "custom", origin: i.origin }) : null;
  if (!code) return i.message;
  const params: Record<string, string | number | Text> = { field: issuePath(i) || { code: "errors.zod.input" } };
  const min = bound(i.minimum);
  const max = bound(i.maximum);
  if (min !== undefined) params.min = min;
  if (max !== undefined) params.max = max;
  return { code, params };
}
