import type { z } from "zod";

/** The raw cell as the user wrote it, for quoting back. */
const quote = (v: unknown) => (typeof v === "string" ? `"${v}"` : JSON.stringify(v));

const EXPECTED: Record<string, string> = { number: "a number", int: "a whole number", string: "text", object: "key=value pairs", boolean: "true or false" };

function sentence(issue: z.core.$ZodIssue, raw: unknown): string {
  switch (issue.code) {
    case "invalid_type":
      if (raw === undefined) return "is required";
      return `${quote(raw)} is not ${EXPECTED[issue.expected] ?? issue.expected}`;
    case "invalid_value":
      return `${quote(raw)} is not one of ${issue.values.map(String).join(", ")}`;
    case "invalid_key": {
      const inner = issue.issues[0]?.message ?? issue.message;
      return `the key "${String(issue.path.at(-1))}" is refused: ${inner}`;
    }
    case "too_small":
    case "too_big":
      // the schemas' own messages say it in words; zod's default ("Too small: …") does not
      if (/^Too (small|big)/.test(issue.message)) {
        const bound = issue.code === "too_small" ? issue.minimum : issue.maximum;
        const word = issue.code === "too_small" ? (issue.inclusive ? "at least" : "greater than") : issue.inclusive ? "at most" : "less than";
        return `must be ${word} ${String(bound)}`;
      }
      return issue.message;
    default: {
      // Messages of the inventory schemas already say what to write ("memory (MB) must be greater than 0").
      const nested = issue.path.length > 1 ? `"${String(issue.path.at(-1))}": ` : "";
      return `${nested}${issue.message}`;
    }
  }
}

/**
 * Zod issues as one sentence per column at fault, naming the column as the file does:
 * `memoryMb: memory (MB) must be greater than 0`, `labels: the key "bad key" is refused: …`.
 * `columnOf` maps a schema field to the column that fed it (rackId ← rack, memoryMb ← memoryGb).
 */
export function issuesToMessages(issues: readonly z.core.$ZodIssue[], raw: Record<string, unknown>, columnOf: Record<string, string> = {}): string[] {
  const byColumn = new Map<string, string[]>();
  for (const issue of issues) {
    const field = issue.path.length ? String(issue.path[0]) : "";
    const column = columnOf[field] ?? field;
    const value = issue.path.length > 1 ? undefined : raw[column];
    const text = issue.path.length > 1 && issue.code === "invalid_type" ? `"${String(issue.path.at(-1))}": ${issue.message}` : sentence(issue, value);
    const list = byColumn.get(column) ?? [];
    if (!list.includes(text)) list.push(text);
    byColumn.set(column, list);
  }
  return [...byColumn].map(([column, texts]) => {
    if (!column) return texts.join("; ");
    if (texts.length === 1 && texts[0] === "is required") return `${column} is required`;
    return `${column}: ${texts.join("; ")}`;
  });
}
