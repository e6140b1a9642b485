"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { ColumnDef, RowSelectionState } from "@tanstack/react-table";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useDeferredValue, useState } from "react";
import { DataTable } from "@/components/ui/data-table";
import { useServerPaging } from "@/components/ui/use-server-paging";
import { Field, Input, Select } from "@/components/ui/field";
import { useTRPC } from "@/trpc/client";
import { HostBatchBar } from "./host-batch-bar";
import { HostFormDialog } from "./host-form";
import { gb, HostStatusBadge, LabelChips, UsageBar } from "./status";
import type { HostRow } from "./types";

const STATUSES = ["ONLINE", "MAINTENANCE", "OFFLINE", "LOCKED"] as const;
const TIERS = ["DEDICATED", "MIXED_DEPARTMENT", "MIXED"] as const;

/** `initial` comes from the URL, e.g. a rack's link on the topology page (?idcId=…&rackId=…). */
export function HostsTable({ canWrite, initial = {} }: { canWrite: boolean; initial?: { idcId?: number; rackId?: number } }) {
  const t = useTranslations("hosts");
  const trpc = useTRPC();
  const [selector, setSelector] = useState("");
  const [search, setSearch] = useState("");
  const [idcId, setIdcId] = useState<number | undefined>(initial.idcId);
  const [rackId, setRackId] = useState<number | undefined>(initial.rackId);
  const [status, setStatus] = useState<(typeof STATUSES)[number] | undefined>();
  const [tier, setTier] = useState<(typeof TIERS)[number] | undefined>();
  const { page, setPage, sort, setSort, onFilter: resetPage } = useServerPaging({ sort: "ip", dir: "asc" }, () => setSelection({}));
  const [selection, setSelection] = useState<RowSelectionState>({});
  const [creating, setCreating] = useState(false);
  // Typing a selector should not fire a query per keystroke.
  const filter = { selector: useDeferredValue(selector), search: useDeferredValue(search), idcId, rackId, status, tier };
  const idcs = useQuery(trpc.topology.idcs.queryOptions());
  const list = useQuery({
    ...trpc.hosts.list.queryOptions({ ...filter, page, pageSize: 50, sort: sort.sort as never, dir: sort.dir }),
    placeholderData: keepPreviousData,
  });
  const columns: ColumnDef<HostRow>[] = [
    {
      id: "ip",
      header: t("ip"),
      cell: ({ row }) => (
        <Link className="font-mono text-indigo-700 hover:underline" href={`/inventory/hosts/${row.original.id}`}>
          {row.original.ip}
        </Link>
      ),
    },
    { id: "hostname", header: t("hostname"), cell: ({ row }) => row.original.hostname },
    { id: "idc", header: t("idc"), cell: ({ row }) => row.original.idc },
    { id: "rack", header: t("rack"), cell: ({ row }) => row.original.rack },
    { id: "status", header: t("status"), cell: ({ row }) => <HostStatusBadge status={row.original.status} label={t(`statuses.${row.original.status}`)} /> },
    { id: "tier", header: t("tier"), cell: ({ row }) => <span title={row.original.department ?? undefined}>{t(`tiers.${row.original.tier}`)}</span> },
    {
      id: "cpuCores",
      header: t("cpu"),
      cell: ({ row }) => <UsageBar used={row.original.usedCpu} total={row.original.cpuCores} format={(n) => `${+n.toFixed(1)}c`} />,
    },
    { id: "usedMemory", header: t("memory"), cell: ({ row }) => <UsageBar used={row.original.usedMemoryMb} total={row.original.memoryMb} format={gb} /> },
    { id: "instances", header: t("instances"), cell: ({ row }) => <span className="tabular-nums">{row.original.instances}</span> },
    { id: "labels", header: t("labels"), enableSorting: false, cell: ({ row }) => <LabelChips labels={row.original.labels} /> },
  ];

  const rackIdc = idcs.data?.find((i) => i.racks.some((r) => r.id === rackId));
  const rackName = rackIdc && `${rackIdc.code}/${rackIdc.racks.find((r) => r.id === rackId)?.code}`;
  const selectedIds = Object.keys(selection).map(Number);
  const total = list.data?.total ?? 0;
  return (
    <div className="space-y-3">
      <div className="grid gap-3 rounded-lg bg-white p-3 shadow-sm ring-1 ring-slate-200 md:grid-cols-[2fr_1fr_1fr_1fr_1fr]">
        <Field label={t("selector")} hint={t("selectorHint")} error={list.error?.message}>
          <Input
            value={selector}
            onChange={(e) => resetPage(setSelector)(e.target.value)}
            placeholder="region=cn-sh,model in (ebmc6,ebmc7),env!=test"
            className="font-mono"
            data-testid="host-selector"
            invalid={!!list.error}
          />
        </Field>
        <Field label={t("search")}>
          <Input value={search} onChange={(e) => resetPage(setSearch)(e.target.value)} placeholder="127.0.1. / sh-pd-r01" />
        </Field>
        <Field label={t("idc")}>
          <Select
            value={idcId ?? ""}
            onChange={(e) => {
              setRackId(undefined);
              resetPage(setIdcId)(e.target.value ? Number(e.target.value) : undefined);
            }}
          >
            <option value="">{t("anyIdc")}</option>
            {idcs.data?.map((i) => (
              <option key={i.id} value={i.id}>
                {i.code} · {i.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t("status")}>
          <Select value={status ?? ""} onChange={(e) => resetPage(setStatus)((e.target.value || undefined) as never)}>
            <option value="">{t("anyStatus")}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`statuses.${s}`)}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t("tier")}>
          <Select value={tier ?? ""} onChange={(e) => resetPage(setTier)((e.target.value || undefined) as never)}>
            <option value="">{t("anyTier")}</option>
            {TIERS.map((s) => (
              <option key={s} value={s}>
                {t(`tiers.${s}`)}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      {rackId ? (
        <p className="flex items-center gap-2 text-sm">
          <span className="rounded bg-indigo-50 px-2 py-0.5 font-mono text-indigo-800 ring-1 ring-indigo-200" data-testid="host-rack-filter">
            {t("rack")}: {rackName ?? rackId}
          </span>
          <button type="button" className="text-slate-500 hover:text-slate-800" onClick={() => resetPage(setRackId)(undefined)} aria-label={t("clearRack")}>
            ✕
          </button>
        </p>
      ) : null}
      {list.data?.unknownKeys.length ? (
        <p className="text-sm text-amber-700" role="status">
          {t("unknownKeys", { keys: list.data.unknownKeys.join(", ") })}
        </p>
      ) : null}
      {canWrite ? (
        <HostBatchBar selectedIds={selectedIds} matching={total} filter={filter} onDone={() => setSelection({})} onCreate={() => setCreating(true)} />
      ) : null}
      <div data-testid="host-total" className="sr-only">
        {total}
      </div>
      <DataTable
        columns={columns}
        rows={list.data?.rows ?? []}
        total={total}
        page={page}
        pageSize={50}
        onPage={setPage}
        sort={sort}
        onSort={setSort}
        loading={list.isFetching}
        selection={canWrite ? selection : undefined}
        onSelection={canWrite ? setSelection : undefined}
        rowTestId={(r) => `host-${r.ip}`}
      />
      {creating ? <HostFormDialog onClose={() => setCreating(false)} /> : null}
    </div>
  );
}
