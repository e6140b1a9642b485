"use client";

import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import Papa from "papaparse";
import { useDeferredValue, useState } from "react";
import { Button } from "@/components/ui/button";
import { DataTable } from "@/components/ui/data-table";
import { ErrorNote } from "@/components/ui/error-note";
import { Field, Input } from "@/components/ui/field";
import { useServerPaging } from "@/components/ui/use-server-paging";
import { useTRPC } from "@/trpc/client";
import { fmtInt, fmtMem, fmtPct, fmtQps, fmtX } from "./format";
import type { CompareResult, CompareRowT } from "./types";

export const COMPARE_PAGE_SIZE = 50;
type Level = "service" | "productLine";

function Missing({ note }: { note: "noSamples" | "noBaseline" | null }) {
  const t = useTranslations("promotions.compare");
  return note ? (
    <span className="text-xs italic text-slate-400" title={t(note)}>
      {note === "noSamples" ? t("noSamples") : "—"}
    </span>
  ) : (
    <>—</>
  );
}

const growthTone = (g: number | null) => (g === null ? "" : g > 0.5 ? "text-rose-700 font-medium" : g > 0.2 ? "text-amber-700" : "text-slate-700");

/** The comparison table: rows from the server (filtered, sorted, paged), columns per chosen promotion. */
export function CompareView({ initialIds }: { initialIds: number[] }) {
  const t = useTranslations("promotions");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  const promotions = useQuery(trpc.promotions.list.queryOptions());
  const [ids, setIds] = useState<number[]>(initialIds);
  const [level, setLevel] = useState<Level>("service");
  const [search, setSearch] = useState("");
  const typed = useDeferredValue(search);
  const { page, setPage, sort, setSort, onFilter } = useServerPaging({ sort: "name", dir: "asc" });
  const filter = { promotionIds: ids, level, search: typed || undefined, sort: sort.sort, dir: sort.dir };
  const cmp = useQuery({
    ...trpc.promotions.compare.queryOptions({ ...filter, page, pageSize: COMPARE_PAGE_SIZE }),
    enabled: ids.length >= 2,
    placeholderData: keepPreviousData,
  });
  const toggle = onFilter((id: number) => {
    const next = ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id];
    setIds(next);
    router.replace(`/promotions/compare?p=${next.join(",")}`, { scroll: false });
  });
  const data = cmp.data;
  const chosen = data?.promotions ?? [];

  const columns: ColumnDef<CompareRowT>[] = [
    {
      id: "name",
      header: level === "service" ? t("compare.service") : t("compare.productLine"),
      cell: ({ row }) => (
        <div className="leading-tight">
          {row.original.serviceId ? (
            <Link
              className="font-medium text-indigo-700 hover:underline"
              href={`/promotions/overlay?service=${row.original.serviceId}&p=${ids.join(",")}`}
              title={t("compare.overlay")}
              data-testid="compare-overlay"
            >
              {row.original.name}
            </Link>
          ) : (
            <div className="font-medium">{row.original.name}</div>
          )}
          <div className="text-xs text-slate-500" data-testid="compare-row-line">
            {level === "service" ? row.original.productLine : t("compare.serviceCount", { n: row.original.services })}
          </div>
        </div>
      ),
    },
    ...chosen.flatMap((p, i): ColumnDef<CompareRowT>[] => [
      {
        id: `qps.${p.id}`,
        header: () => (
          <span className="normal-case" title={t("compare.peakQps")}>
            <span className="font-bold text-slate-700">{p.name}</span> {t("compare.peakQps")}
          </span>
        ),
        cell: ({ row }) => {
          const c = row.original.cells[i]!;
          if (c.qps === null) return <Missing note={c.note} />;
          return (
            <div className="leading-tight">
              <div className="tabular-nums font-medium">{fmtQps(c.qps)}</div>
              <div className="text-xs tabular-nums text-slate-500" title={t("compare.baseline")}>
                {t("compare.baseShort")} {fmtQps(c.baseQps)}
              </div>
            </div>
          );
        },
      },
      {
        id: `multiple.${p.id}`,
        header: t("compare.multiple"),
        cell: ({ row }) => <span className="tabular-nums font-medium">{fmtX(row.original.cells[i]!.multiple)}</span>,
      },
      {
        id: `memMb.${p.id}`,
        header: t("compare.memConns"),
        cell: ({ row }) => {
          const c = row.original.cells[i]!;
          return (
            <div className="leading-tight tabular-nums">
              <div>{fmtMem(c.memMb)}</div>
              <div className="text-xs text-slate-500">{fmtInt(c.clients)}</div>
            </div>
          );
        },
      },
    ]),
    {
      id: "growthQps",
      header: t("compare.growthQps"),
      cell: ({ row }) => <span className={`tabular-nums ${growthTone(row.original.growthQps)}`}>{fmtPct(row.original.growthQps)}</span>,
    },
    {
      id: "growthMemMb",
      header: t("compare.growthMemConns"),
      cell: ({ row }) => (
        <div className="leading-tight tabular-nums">
          <div>{fmtPct(row.original.growthMemMb)}</div>
          <div className="text-xs text-slate-500">{fmtPct(row.original.growthClients)}</div>
        </div>
      ),
    },
  ];

  async function exportCsv() {
    const all: CompareResult = { ...(await qc.fetchQuery(trpc.promotions.compareAll.queryOptions(filter))), total: 0 };
    const rows = all.rows.map((r) => {
      const out: Record<string, string | number | null> = { name: r.name, productLine: r.productLine, services: r.services };
      all.promotions.forEach((p, i) => {
        const c = r.cells[i]!;
        Object.assign(out, {
          [`${p.name} peak QPS`]: c.qps,
          [`${p.name} baseline QPS`]: c.baseQps,
          [`${p.name} multiple`]: c.multiple,
          [`${p.name} peak memory MB`]: c.memMb,
          [`${p.name} peak connections`]: c.clients,
          [`${p.name} note`]: c.note ? t(`compare.${c.note}`) : "",
        });
      });
      return { ...out, "QPS growth": r.growthQps, "memory growth": r.growthMemMb, "connections growth": r.growthClients };
    });
    const blob = new Blob([Papa.unparse(rows)], { type: "text/csv;charset=utf-8" });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = `promotions-${all.promotions.map((p) => p.name).join("-vs-")}-${level}.csv`.replace(/\s+/g, "_");
    a.click();
    URL.revokeObjectURL(a.href);
  }

  return (
    <div className="space-y-3">
      <div className="space-y-3 rounded-lg bg-white p-3 shadow-sm ring-1 ring-slate-200">
        <div>
          <div className="mb-1 text-xs font-medium text-slate-600">{t("compare.pick")}</div>
          <div className="flex flex-wrap gap-1.5">
            {promotions.data
              ?.filter((p) => p.status !== "upcoming")
              .map((p) => (
                <label
                  key={p.id}
                  className={`cursor-pointer rounded-full px-2.5 py-1 text-xs ring-1 ${ids.includes(p.id) ? "bg-indigo-600 text-white ring-indigo-600" : "bg-white text-slate-700 ring-slate-300 hover:bg-slate-50"}`}
                >
                  <input
                    type="checkbox"
                    className="sr-only"
                    checked={ids.includes(p.id)}
                    onChange={() => toggle(p.id)}
                    data-testid={`compare-pick-${p.name}`}
                  />
                  {p.name}
                </label>
              ))}
          </div>
        </div>
        <div className="flex flex-wrap items-end gap-3">
          <Field label={t("compare.level")}>
            <div className="flex overflow-hidden rounded-md ring-1 ring-slate-300">
              {(["service", "productLine"] as const).map((l) => (
                <button
                  key={l}
                  type="button"
                  onClick={() => onFilter(setLevel)(l)}
                  className={`px-3 py-1.5 text-sm ${level === l ? "bg-slate-800 text-white" : "bg-white text-slate-700"}`}
                  data-testid={`compare-level-${l}`}
                >
                  {l === "service" ? t("compare.byService") : t("compare.byLine")}
                </button>
              ))}
            </div>
          </Field>
          <Field label={t("compare.search")} className="w-64">
            <Input value={search} onChange={(e) => onFilter(setSearch)(e.target.value)} data-testid="compare-search" />
          </Field>
          <div className="ml-auto">
            <Button onClick={() => void exportCsv()} disabled={ids.length < 2} data-testid="compare-csv">
              {t("compare.exportCsv")}
            </Button>
          </div>
        </div>
        {data ? (
          <p className="text-xs text-slate-500">{t("compare.method", { days: data.settings.baselineDays, min: data.settings.minBaselineDays })}</p>
        ) : null}
      </div>
      {ids.length < 2 ? <p className="text-sm text-slate-500">{t("compare.pickTwo")}</p> : null}
      <ErrorNote error={cmp.error} />
      {ids.length >= 2 ? (
        <DataTable
          columns={columns}
          rows={data?.rows ?? []}
          total={data?.total ?? 0}
          page={page}
          pageSize={COMPARE_PAGE_SIZE}
          onPage={setPage}
          sort={sort}
          onSort={setSort}
          loading={cmp.isFetching}
          rowTestId={() => "compare-row"}
        />
      ) : null}
    </div>
  );
}
