const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Top-level fields whose value differs between an audit entry's before and after, in a stable order;
 * null when either side is not an object (a created or removed record, or a list such as member ids),
 * where a field list says nothing the two sides do not already show.
 */
export function changedFields(before: unknown, after: unknown): string[] | null {
  if (!isRecord(before) || !isRecord(after)) return null;
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
}
