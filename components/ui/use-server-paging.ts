"use client";

import { useState } from "react";
import type { ServerSort } from "./data-table";

/**
 * Page and sort of a server-side list. `onFilter` wraps a filter setter so that changing a filter
 * goes back to page 1 (and runs `alsoOnFilter`, e.g. clearing a row selection).
 */
export function useServerPaging(initialSort: ServerSort, alsoOnFilter?: () => void) {
  const [sort, setSortState] = useState<ServerSort>(initialSort);
  const [page, setPage] = useState(1);
  const onFilter =
    <T>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setPage(1);
      alsoOnFilter?.();
    };
  const setSort = (s: ServerSort) => {
    setSortState(s);
    setPage(1);
  };
  return { page, setPage, sort, setSort, onFilter };
}
