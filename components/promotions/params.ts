/** "3,5,8" from the query string as ids; anything else is dropped. */
export const idsParam = (v: string | undefined): number[] =>
  [
    ...new Set(
      (v ?? "")
        .split(",")
        .map(Number)
        .filter((n) => Number.isInteger(n) && n > 0),
    ),
  ].slice(0, 6);
