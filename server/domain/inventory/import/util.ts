/** Small helpers of the importer. */

export const unique = <T>(xs: Iterable<T>): T[] => [...new Set(xs)];

/** Splits bulk writes so no statement comes near PostgreSQL's 65,535 bind parameters. */
export function* chunks<T>(rows: readonly T[], size = 1000): Generator<T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

/**
 * For rows sharing a key with another row: row index → the lines of the other rows. Both rows of
 * a pair are reported, since the file does not say which one is meant.
 */
export function duplicateLines<R extends { line: number }>(rows: readonly R[], keyOf: (row: R, index: number) => string | undefined): Map<number, number[]> {
  const byKey = new Map<string, number[]>();
  rows.forEach((r, i) => {
    const k = keyOf(r, i);
    if (k === undefined) return;
    const list = byKey.get(k);
    if (list) list.push(i);
    else byKey.set(k, [i]);
  });
  const out = new Map<number, number[]>();
  for (const idxs of byKey.values()) {
    if (idxs.length < 2) continue;
    for (const i of idxs)
      out.set(
        i,
        idxs.filter((j) => j !== i).map((j) => rows[j]!.line),
      );
  }
  return out;
}
