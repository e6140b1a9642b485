"use client";

import { flexRender, getCoreRowModel, useReactTable, type ColumnDef, type RowSelectionState } from "@tanstack/react-table";
import { clsx } from "clsx";
import { useTranslations } from "next-intl";

export type ServerSort = { sort: string; dir: "asc" | "desc" };

/**
 * A table whose rows, order and page come from the server (lists here reach thousands of rows):
 * TanStack Table in manual mode renders; the parent owns the query state.
 */
export function DataTable<Row extends { id: number | string }>(props: {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each column has its own value type; TanStack types a mixed list so
  columns: ColumnDef<Row, any>[];
  rows: Row[];
  total: number;
  page: number;
  pageSize: number;
  onPage: (page: number) => void;
  sort?: ServerSort;
  onSort?: (s: ServerSort) => void;
  loading?: boolean;
  selection?: RowSelectionState;
  onSelection?: (s: RowSelectionState) => void;
  empty?: string;
  rowTestId?: (row: Row) => string;
}) {
  const t = useTranslations("common");
  const table = useReactTable({
    data: props.rows,
    columns: props.columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (r) => String(r.id),
    manualPagination: true,
    manualSorting: true,
    enableRowSelection: !!props.onSelection,
    state: { rowSelection: props.selection ?? {} },
    onRowSelectionChange: (updater) => {
      if (!props.onSelection) return;
      props.onSelection(typeof updater === "function" ? updater(props.selection ?? {}) : updater);
    },
  });
  const pages = Math.max(1, Math.ceil(props.total / props.pageSize));
  return (
    <div className="overflow-hidden rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
      <div className="overflow-x-auto">
        <table className={clsx("min-w-full text-sm", props.loading && "opacity-60")}>
          <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
            {table.getHeaderGroups().map((hg) => (
              <tr key={hg.id}>
                {props.onSelection ? (
                  <th className="w-8 px-3 py-2">
                    <input
                      type="checkbox"
                      aria-label={t("selectPage")}
                      checked={table.getIsAllPageRowsSelected()}
                      onChange={table.getToggleAllPageRowsSelectedHandler()}
                    />
                  </th>
                ) : null}
                {hg.headers.map((h) => {
                  // Columns here render cells without accessors, which TanStack would call unsortable; the server sorts.
                  const sortable = !!props.onSort && h.column.columnDef.enableSorting !== false;
                  const dir = props.sort?.sort === h.column.id ? props.sort.dir : false;
                  return (
                    <th key={h.id} className="whitespace-nowrap px-3 py-2">
                      {sortable ? (
                        <button
                          type="button"
                          className="inline-flex items-center gap-1 uppercase hover:text-slate-800"
                          onClick={() => props.onSort!({ sort: h.column.id, dir: dir === "asc" ? "desc" : "asc" })}
                        >
                          {flexRender(h.column.columnDef.header, h.getContext())}
                          <span className="text-slate-400">{dir === "asc" ? "▲" : dir === "desc" ? "▼" : "↕"}</span>
                        </button>
                      ) : (
                        flexRender(h.column.columnDef.header, h.getContext())
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody className="divide-y divide-slate-100">
            {table.getRowModel().rows.map((row) => (
              <tr key={row.id} className={clsx("hover:bg-slate-50", row.getIsSelected() && "bg-indigo-50/60")} data-testid={props.rowTestId?.(row.original)}>
                {props.onSelection ? (
                  <td className="px-3 py-1.5">
                    <input type="checkbox" aria-label={t("selectRow")} checked={row.getIsSelected()} onChange={row.getToggleSelectedHandler()} />
                  </td>
                ) : null}
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id} className="whitespace-nowrap px-3 py-1.5">
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </td>
                ))}
              </tr>
            ))}
            {props.rows.length === 0 && !props.loading ? (
              <tr>
                <td colSpan={props.columns.length + 1} className="px-3 py-8 text-center text-slate-500">
                  {props.empty ?? t("noRows")}
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <footer className="flex items-center justify-between border-t border-slate-100 px-3 py-2 text-xs text-slate-600">
        <span>{t("rowsTotal", { total: props.total })}</span>
        <div className="flex items-center gap-2">
          <button
            type="button"
            className="rounded px-2 py-1 hover:bg-slate-100 disabled:text-slate-300"
            disabled={props.page <= 1}
            onClick={() => props.onPage(props.page - 1)}
          >
            ‹ {t("prev")}
          </button>
          <span className="tabular-nums">{t("pageOf", { page: props.page, pages })}</span>
          <button
            type="button"
            className="rounded px-2 py-1 hover:bg-slate-100 disabled:text-slate-300"
            disabled={props.page >= pages}
            onClick={() => props.onPage(props.page + 1)}
          >
            {t("next")} ›
          </button>
        </div>
      </footer>
    </div>
  );
}
