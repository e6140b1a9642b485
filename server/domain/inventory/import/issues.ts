import type { z } from "zod";
import { serverTranslator } from "../../../../i18n/load";
import { fieldText, joinTexts, text, type Text } from "../../../../lib/text";
import { zodIssueText, type Issue } from "../../../../lib/zod-text";
import type { RowText } from "./types";

/** The raw cell as the user wrote it, for quoting back. */
const quote = (v: unknown) => (typeof v === "string" ? `"${v}"` : JSON.stringify(v));

const isCode = (message: string) => serverTranslator("en").has(message);
/** A schema's message as a text: a code of the catalogue, or its own words. */
export const said = (message: string): RowText => (isCode(message) ? { code: message } : message);
/** An issue's own message with its bounds ({max}), as the tRPC layer reads it. */
const saidOf = (issue: z.core.$ZodIssue): RowText => zodIssueText(issue as Issue, isCode);

const REQUIRED = "refusals.import.row.required";

function sentence(issue: z.core.$ZodIssue, raw: unknown): RowText {
  switch (issue.code) {
    case "invalid_type":
      if (raw === undefined) return text(REQUIRED);
      return text("refusals.import.row.notType", { value: quote(raw), expected: issue.expected });
    case "invalid_value":
      return text("refusals.import.row.notOneOf", { value: quote(raw), values: issue.values.map(String).join(", ") });
    case "invalid_key": {
      const inner = issue.issues[0]?.message ?? issue.message;
      return text("refusals.import.row.badKey", { key: String(issue.path.at(-1)), why: said(inner) });
    }
    case "too_small":
    case "too_big":
      // the schemas' own messages say it in words; zod's default ("Too small: …") does not
      if (/^Too (small|big)/.test(issue.message)) {
        const bound = issue.code === "too_small" ? issue.minimum : issue.maximum;
        const word = issue.code === "too_small" ? (issue.inclusive ? "atLeast" : "greaterThan") : issue.inclusive ? "atMost" : "lessThan";
        return text("refusals.import.row.bound", { word, bound: String(bound) });
      }
      return saidOf(issue);
    default:
      // Messages of the inventory schemas already say what to write ("memory (MB) must be greater than 0").
      return issue.path.length > 1 ? text("refusals.import.row.nested", { key: String(issue.path.at(-1)), message: saidOf(issue) }) : saidOf(issue);
  }
}

const isRequired = (t: RowText) => typeof t !== "string" && t.code === REQUIRED;
const key = (t: RowText) => JSON.stringify(t);

/**
 * Zod issues as one text per column at fault, naming the column as the file does:
 * `memoryMb: memory (MB) must be greater than 0`, `labels: the key "bad key" is refused: …`.
 * `columnOf` maps a schema field to the column that fed it (rackId ← rack, memoryMb ← memoryGb).
 */
export function issuesToMessages(issues: readonly z.core.$ZodIssue[], raw: Record<string, unknown>, columnOf: Record<string, string> = {}): RowText[] {
  const byColumn = new Map<string, RowText[]>();
  for (const issue of issues) {
    const field = issue.path.length ? String(issue.path[0]) : "";
    const column = columnOf[field] ?? field;
    const value = issue.path.length > 1 ? undefined : raw[column];
    const t =
      issue.path.length > 1 && issue.code === "invalid_type"
        ? text("refusals.import.row.nested", { key: String(issue.path.at(-1)), message: said(issue.message) })
        : sentence(issue, value);
    const list = byColumn.get(column) ?? [];
    if (!list.some((x) => key(x) === key(t))) list.push(t);
    byColumn.set(column, list);
  }
  return [...byColumn].map(([column, texts]): RowText => {
    if (!column) return joinTexts(texts);
    if (texts.length === 1 && isRequired(texts[0]!)) return text("refusals.import.row.columnRequired", { column });
    return fieldText(column, joinTexts(texts)) satisfies Text;
  });
}
