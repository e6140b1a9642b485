import { text as say } from "../../../lib/text";
import { badInput } from "../errors";

/**
 * Label selectors in the Kubernetes style, which DBAs already read:
 *   region=cn-sh, model in (ebmc6,ebmc7), env!=test, gpu, !deprecated, tier notin (a,b)
 * Requirements are ANDed. `!=` and `notin` also match hosts that lack the key, as in Kubernetes.
 */
export type LabelRequirement =
  { key: string; op: "eq" | "neq"; value: string } | { key: string; op: "in" | "notin"; values: string[] } | { key: string; op: "exists" | "notexists" };

export type Labels = Record<string, string>;

const KEY = /^[A-Za-z0-9]([A-Za-z0-9._\/-]{0,62}[A-Za-z0-9])?$/;
const VALUE = /^[A-Za-z0-9._:\/-]{0,128}$/;

function checkKey(key: string, clause: string): string {
  if (!KEY.test(key)) {
    throw badInput(say("refusals.labels.key", { key, clause }));
  }
  return key;
}

function checkValue(value: string, clause: string): string {
  if (!VALUE.test(value)) {
    throw badInput(say("refusals.labels.value", { value, clause }));
  }
  return value;
}

/** Splits on commas that are not inside parentheses. */
function clauses(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of text) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (depth < 0) throw badInput(say("refusals.labels.unbalancedClose", { selector: text }));
    if (ch === "," && depth === 0) {
      out.push(cur.trim());
      cur = "";
    } else cur += ch;
  }
  if (depth !== 0) throw badInput(say("refusals.labels.unbalancedOpen", { selector: text }));
  out.push(cur.trim());
  return out.filter((c) => c.length > 0);
}

export function parseLabelSelector(text: string): LabelRequirement[] {
  const reqs: LabelRequirement[] = [];
  for (const clause of clauses(text.trim())) {
    let m: RegExpMatchArray | null;
    if ((m = clause.match(/^([^\s!=(),]+)\s+(in|notin)\s*\(([^)]*)\)$/i))) {
      const values = m[3]!
        .split(",")
        .map((v) => v.trim())
        .filter((v) => v.length > 0)
        .map((v) => checkValue(v, clause));
      if (values.length === 0) throw badInput(say("refusals.labels.noValues", { clause, key: m[1]! }));
      reqs.push({ key: checkKey(m[1]!, clause), op: m[2]!.toLowerCase() as "in" | "notin", values });
    } else if ((m = clause.match(/^([^\s!=(),]+)\s*(==|=|!=)\s*([^\s=!(),]*)$/))) {
      reqs.push({ key: checkKey(m[1]!, clause), op: m[2] === "!=" ? "neq" : "eq", value: checkValue(m[3]!, clause) });
    } else if ((m = clause.match(/^!\s*([^\s!=(),]+)$/))) {
      reqs.push({ key: checkKey(m[1]!, clause), op: "notexists" });
    } else if ((m = clause.match(/^([^\s!=(),]+)$/))) {
      reqs.push({ key: checkKey(m[1]!, clause), op: "exists" });
    } else {
      const op = clause.match(/^\S+\s+(\S+)/)?.[1];
      throw badInput(
        op && !["=", "==", "!=", "in", "notin"].includes(op.toLowerCase())
          ? say("refusals.labels.operator", { op, clause })
          : say("refusals.labels.unreadable", { clause }),
      );
    }
  }
  return reqs;
}

export function matchesLabels(reqs: readonly LabelRequirement[], labels: Labels): boolean {
  for (const r of reqs) {
    const v = Object.prototype.hasOwnProperty.call(labels, r.key) ? labels[r.key] : undefined;
    switch (r.op) {
      case "eq":
        if (v !== r.value) return false;
        break;
      case "neq":
        if (v === r.value) return false;
        break;
      case "in":
        if (v === undefined || !r.values.includes(v)) return false;
        break;
      case "notin":
        if (v !== undefined && r.values.includes(v)) return false;
        break;
      case "exists":
        if (v === undefined) return false;
        break;
      case "notexists":
        if (v !== undefined) return false;
        break;
    }
  }
  return true;
}

/** The label keys a selector mentions, so callers can refuse keys no host carries. */
export const selectorKeys = (reqs: readonly LabelRequirement[]) => [...new Set(reqs.map((r) => r.key))];

export function formatLabelSelector(reqs: readonly LabelRequirement[]): string {
  return reqs
    .map((r) => {
      switch (r.op) {
        case "eq":
          return `${r.key}=${r.value}`;
        case "neq":
          return `${r.key}!=${r.value}`;
        case "in":
        case "notin":
          return `${r.key} ${r.op} (${r.values.join(",")})`;
        case "exists":
          return r.key;
        case "notexists":
          return `!${r.key}`;
      }
    })
    .join(",");
}
