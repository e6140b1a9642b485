"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useDeferredValue, useState } from "react";
import { ServiceStatusBadge } from "@/components/inventory/status";
import { Badge, Stars } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DataTable } from "@/components/ui/data-table";
import { useServerPaging } from "@/components/ui/use-server-paging";
import { Field, Input, Select } from "@/components/ui/field";
import { ServiceKind, ServiceStatus } from "@/generated/prisma/enums";
import { useTRPC } from "@/trpc/client";
import { SERVICES_FIRST_PAGE } from "./defaults";
import { ServiceFormDialog } from "./service-form";
import type { ServiceRow } from "./types";

const KINDS = Object.values(ServiceKind);
const STATUSES = Object.values(ServiceStatus);
const PAGE_SIZE = SERVICES_FIRST_PAGE.pageSize;

export function ServicesTable({ canWrite }: { canWrite: boolean }) {
  const t = useTranslations("services");
  const ti = useTranslations("inventory");
  const trpc = useTRPC();
  const [search, setSearch] = useState("");
  const [productLineId, setProductLineId] = useState<number | undefined>();
  const [kind, setKind] = useState<ServiceKind | undefined>();
  const [status, setStatus] = useState<ServiceStatus | undefined>();
  const { page, setPage, sort, setSort, onFilter: resetPage } = useServerPaging({ sort: SERVICES_FIRST_PAGE.sort, dir: SERVICES_FIRST_PAGE.dir });
  const [creating, setCreating] = useState(false);
  const productLines = useQuery(trpc.productLines.list.queryOptions({}));
  const list = useQuery({
    ...trpc.services.list.queryOptions({
      search: useDeferredValue(search),
      productLineId,
      kind,
      status,
      page,
      pageSize: PAGE_SIZE,
      sort: sort.sort as never,
      dir: sort.dir,
    }),
    placeholderData: keepPreviousData,
  });
  const columns: ColumnDef<ServiceRow>[] = [
    {
      id: "name",
      header: t("name"),
      cell: ({ row }) => (
        <Link className="font-medium text-indigo-700 hover:underline" href={`/inventory/services/${row.original.id}`}>
          {row.original.name}
        </Link>
      ),
    },
    {
      id: "productLine",
      header: t("productLine"),
      cell: ({ row }) => (
        <span className="inline-flex items-center gap-2" title={row.original.productLine.name}>
          {row.original.productLine.code} <Stars n={row.original.productLine.importance} />
        </span>
      ),
    },
    { id: "kind", header: t("kind"), enableSorting: false, cell: ({ row }) => ti(`kinds.${row.original.kind}`) },
    {
      id: "status",
      header: t("status"),
      enableSorting: false,
      cell: ({ row }) => <ServiceStatusBadge status={row.original.status} label={ti(`serviceStatuses.${row.original.status}`)} />,
    },
    { id: "instances", header: t("instances"), cell: ({ row }) => <span className="tabular-nums">{row.original.instances}</span> },
    { id: "entry", header: t("entry"), enableSorting: false, cell: ({ row }) => <span className="font-mono text-xs">{row.original.entry ?? "—"}</span> },
    {
      id: "adopted",
      header: t("origin"),
      enableSorting: false,
      cell: ({ row }) =>
        row.original.isDemo ? (
          <Badge>{t("demoCatalogue")}</Badge>
        ) : row.original.adopted ? (
          <Badge tone="blue">{t("adopted")}</Badge>
        ) : (
          <span className="text-xs text-slate-500">{t("deployed")}</span>
        ),
    },
  ];

  return (
    <div className="space-y-3">
      <div className="grid items-end gap-3 rounded-lg bg-white p-3 shadow-sm ring-1 ring-slate-200 md:grid-cols-[2fr_2fr_1fr_1fr_auto]">
        <Field label={t("search")} error={list.error?.message}>
          <Input value={search} onChange={(e) => resetPage(setSearch)(e.target.value)} placeholder="trade-cart" data-testid="service-search" />
        </Field>
        <Field label={t("productLine")}>
          <Select
            value={productLineId ?? ""}
            onChange={(e) => resetPage(setProductLineId)(e.target.value ? Number(e.target.value) : undefined)}
            data-testid="service-filter-product-line"
          >
            <option value="">{t("anyProductLine")}</option>
            {productLines.data?.map((p) => (
              <option key={p.id} value={p.id}>
                {p.code} · {p.name} {"★".repeat(p.importance)}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t("kind")}>
          <Select
            value={kind ?? ""}
            onChange={(e) => resetPage(setKind)((e.target.value || undefined) as ServiceKind | undefined)}
            data-testid="service-filter-kind"
          >
            <option value="">{t("anyKind")}</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {ti(`kinds.${k}`)}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t("status")}>
          <Select
            value={status ?? ""}
            onChange={(e) => resetPage(setStatus)((e.target.value || undefined) as ServiceStatus | undefined)}
            data-testid="service-filter-status"
          >
            <option value="">{t("anyStatus")}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {ti(`serviceStatuses.${s}`)}
              </option>
            ))}
          </Select>
        </Field>
        {canWrite ? (
          <Button variant="primary" onClick={() => setCreating(true)} data-testid="service-create">
            + {t("newService")}
          </Button>
        ) : null}
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
        rowTestId={(r) => `service-row-${r.name}`}
      />
      {creating ? <ServiceFormDialog onClose={() => setCreating(false)} /> : null}
    </div>
  );
}
