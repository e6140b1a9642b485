"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useDeferredValue, useState } from "react";
import { gb, InstanceRoleBadge } from "@/components/inventory/status";
import { InstanceStateCell } from "./instance-state";
import { DataTable } from "@/components/ui/data-table";
import { useServerPaging } from "@/components/ui/use-server-paging";
import { Field, Input, Select } from "@/components/ui/field";
import { InstanceRole, InstanceState, Software } from "@/generated/prisma/enums";
import { useTRPC } from "@/trpc/client";
import { INSTANCES_FIRST_PAGE } from "./defaults";
import { HostAddress } from "./host-address";
import type { InstanceRow } from "./types";

const PAGE_SIZE = INSTANCES_FIRST_PAGE.pageSize;

/** Every instance the actor may see (the API scopes BUSINESS users to their product lines). */
export function InstancesTable({ showHostLinks }: { showHostLinks: boolean }) {
  const t = useTranslations("instances");
  const ti = useTranslations("inventory");
  const trpc = useTRPC();
  const [search, setSearch] = useState("");
  const [software, setSoftware] = useState<Software | undefined>();
  const [state, setState] = useState<InstanceState | undefined>();
  const [role, setRole] = useState<InstanceRole | undefined>();
  const { page, setPage, sort, setSort, onFilter: resetPage } = useServerPaging({ sort: INSTANCES_FIRST_PAGE.sort, dir: INSTANCES_FIRST_PAGE.dir });
  const list = useQuery({
    ...trpc.services.instances.queryOptions({
      search: useDeferredValue(search),
      software,
      state,
      role,
      page,
      pageSize: PAGE_SIZE,
      sort: sort.sort as never,
      dir: sort.dir,
    }),
    placeholderData: keepPreviousData,
  });
  const columns: ColumnDef<InstanceRow>[] = [
    { id: "host", header: t("address"), cell: ({ row }) => <HostAddress host={row.original.host} port={row.original.port} link={showHostLinks} /> },
    {
      id: "service",
      header: t("service"),
      cell: ({ row }) => (
        <Link className="text-indigo-700 hover:underline" href={`/inventory/services/${row.original.service.id}`}>
          {row.original.service.name}
        </Link>
      ),
    },
    { id: "productLine", header: t("productLine"), enableSorting: false, cell: ({ row }) => row.original.service.productLine.code },
    { id: "software", header: t("software"), enableSorting: false, cell: ({ row }) => `${ti(`software.${row.original.software}`)} ${row.original.version}` },
    {
      id: "role",
      header: t("role"),
      enableSorting: false,
      cell: ({ row }) => (
        <span className="inline-flex items-center gap-1">
          <InstanceRoleBadge role={row.original.role} label={ti(`roles.${row.original.role}`)} />
          {row.original.shardIndex !== null ? <span className="text-xs text-slate-500">#{row.original.shardIndex}</span> : null}
        </span>
      ),
    },
    {
      id: "maxmemoryMb",
      header: "maxmemory",
      cell: ({ row }) => <span className="tabular-nums">{row.original.maxmemoryMb ? gb(row.original.maxmemoryMb) : "—"}</span>,
    },
    { id: "state", header: t("state"), cell: ({ row }) => <InstanceStateCell instance={row.original} /> },
  ];

  return (
    <div className="space-y-3">
      <div className="grid gap-3 rounded-lg bg-white p-3 shadow-sm ring-1 ring-slate-200 md:grid-cols-[2fr_1fr_1fr_1fr]">
        <Field label={t("search")} hint={t("searchHint")} error={list.error?.message}>
          <Input value={search} onChange={(e) => resetPage(setSearch)(e.target.value)} placeholder="127.0.1. / trade-cart" data-testid="instance-search" />
        </Field>
        <Field label={t("software")}>
          <Select
            value={software ?? ""}
            onChange={(e) => resetPage(setSoftware)((e.target.value || undefined) as Software | undefined)}
            data-testid="instance-filter-software"
          >
            <option value="">{t("anySoftware")}</option>
            {Object.values(Software).map((s) => (
              <option key={s} value={s}>
                {ti(`software.${s}`)}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t("state")}>
          <Select
            value={state ?? ""}
            onChange={(e) => resetPage(setState)((e.target.value || undefined) as InstanceState | undefined)}
            data-testid="instance-filter-state"
          >
            <option value="">{t("anyState")}</option>
            {Object.values(InstanceState).map((s) => (
              <option key={s} value={s}>
                {ti(`states.${s}`)}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t("role")}>
          <Select
            value={role ?? ""}
            onChange={(e) => resetPage(setRole)((e.target.value || undefined) as InstanceRole | undefined)}
            data-testid="instance-filter-role"
          >
            <option value="">{t("anyRole")}</option>
            {Object.values(InstanceRole).map((r) => (
              <option key={r} value={r}>
                {ti(`roles.${r}`)}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <div data-testid="instance-total" className="sr-only">
        {list.data?.total ?? 0}
      </div>
      <DataTable
        columns={columns}
        rows={list.data?.rows ?? []}
        total={list.data?.total ?? 0}
        page={page}
        pageSize={PAGE_SIZE}
        onPage={setPage}
        sort={sort}
        onSort={setSort}
        loading={list.isFetching}
        rowTestId={(r) => `instance-${r.host.ip}:${r.port}`}
      />
    </div>
  );
}
