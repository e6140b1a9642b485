/** Splits bulk inserts so no statement comes near PostgreSQL's 65,535 bind parameters. */
export function* chunks<T>(rows: readonly T[], size = 1000): Generator<T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}
