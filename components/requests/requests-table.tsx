"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { clsx } from "clsx";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Stars } from "@/components/ui/badge";
import { DataTable } from "@/components/ui/data-table";
import { ErrorNote } from "@/components/ui/error-note";
import { Field, Select } from "@/components/ui/field";
import type { RequestForm } from "@/server/domain/provisioning/request-schema";
import { useTRPC } from "@/trpc/client";
import { REQUESTS_PAGE_SIZE } from "./defaults";
import { Age, RequestStatusBadge } from "./status";
import type { RequestRow, RequestStatus } from "./types";
import { RetireLabel } from "@/components/decommission/retire";

const STATUSES: RequestStatus[] = ["DRAFT", "SUBMITTED", "APPROVED", "PROVISIONING", "DELIVERED", "FAILED", "REJECTED", "CANCELLED"];
type View = "pending" | "all";

/**
 * DBAs and ADMINs start on the approval queue; everyone else sees the requests of the product lines
 * they may see (the server scopes a BUSINESS user to their own lines).
 */
export function RequestsTable({ canDecide, isBusiness }: { canDecide: boolean; isBusiness: boolean }) {
  const t = useTranslations("requests.list");
  const tk = useTranslations("requests.kinds");
  const ts = useTranslations("requests.statuses");
  const trpc = useTRPC();
  const [view, setView] = useState<View>(canDecide ? "pending" : "all");
  const [status, setStatus] = useState<RequestStatus | undefined>();
  const [productLineId, setProductLineId] = useState<number | undefined>();
  const [mine, setMine] = useState(false);
  const [page, setPage] = useState(1);
  const filtered =
    <T,>(setter: (v: T) => void) =>
    (v: T) => {
      setter(v);
      setPage(1);
    };
  const pending = view === "pending";
  const lines = useQuery(trpc.productLines.list.queryOptions({}));
  const list = useQuery({
    ...trpc.requests.list.queryOptions(
      pending
        ? { status: "SUBMITTED", productLineId, page, pageSize: REQUESTS_PAGE_SIZE }
        : { status, productLineId, mine: mine || undefined, page, pageSize: REQUESTS_PAGE_SIZE },
    ),
    placeholderData: keepPreviousData,
  });
  // How many wait for a decision, shown on the tab even while the DBA browses everything.
  const waiting = useQuery({ ...trpc.requests.list.queryOptions({ status: "SUBMITTED", page: 1, pageSize: 1 }), enabled: canDecide });

  const columns: ColumnDef<RequestRow>[] = [
    {
      id: "id",
      header: "#",
      cell: ({ row }) => (
        <Link className="font-medium text-indigo-700 hover:underline" href={`/requests/${row.original.id}`}>
          #{row.original.id}
        </Link>
      ),
    },
    {
      id: "age",
      header: pending ? t("waiting") : t("created"),
      cell: ({ row }) => (
        <span className="text-slate-600">
          <Age at={row.original.createdAt} />
        </span>
      ),
    },
    ...(pending
      ? []
      : [{ id: "status", header: t("status"), cell: ({ row }) => <RequestStatusBadge status={row.original.status} /> } satisfies ColumnDef<RequestRow>]),
    {
      id: "productLine",
      header: t("productLine"),
      cell: ({ row }) => (
        <span className="inline-flex items-center gap-2" title={row.original.productLine.name}>
          {row.original.productLine.code} <Stars n={row.original.productLine.importance} />
        </span>
      ),
    },
    {
      id: "purpose",
      header: t("purpose"),
      cell: ({ row }) => (
        <Link href={`/requests/${row.original.id}`} className="block max-w-xs truncate text-slate-700 hover:underline" title={row.original.purpose}>
          {row.original.purpose}
        </Link>
      ),
    },
    { id: "kind", header: t("kind"), cell: ({ row }) => tk(`${row.original.kind}.label`) },
    {
      id: "capacity",
      header: t("capacity"),
      cell: ({ row }) =>
        row.original.action !== "PROVISION" ? "—" : <span className="tabular-nums">{(row.original.form as RequestForm).capacityGb.toLocaleString()} GB</span>,
    },
    {
      id: "qps",
      header: t("qps"),
      cell: ({ row }) =>
        row.original.action !== "PROVISION" ? "—" : <span className="tabular-nums">{(row.original.form as RequestForm).peakQps.toLocaleString()}</span>,
    },
    {
      id: "plan",
      header: t("plan"),
      cell: ({ row }) => {
        // a retirement has no plan: the service it retires
        if (row.original.action !== "PROVISION") {
          const f = row.original.form as { service?: string; pattern?: string };
          return <RetireLabel action={row.original.action} service={f.service ?? `#${row.original.targetServiceId}`} pattern={f.pattern} />;
        }
        const p = row.original.plan;
        return (
          <span className="tabular-nums" title={t("planTitle")}>
            {p.shards} × {p.replicas} <span className="text-slate-500">· {t("instances", { n: p.totals.instances })}</span>
          </span>
        );
      },
    },
    { id: "requester", header: t("requester"), cell: ({ row }) => row.original.requester.displayName || row.original.requester.username },
  ];

  const tab = (v: View, label: React.ReactNode) => (
    <button
      type="button"
      onClick={() => {
        setView(v);
        setPage(1);
      }}
      className={clsx("rounded-md px-3 py-1.5 text-sm font-medium", view === v ? "bg-indigo-600 text-white shadow-sm" : "text-slate-700 hover:bg-slate-100")}
      aria-pressed={view === v}
      data-testid={`req-view-${v}`}
    >
      {label}
    </button>
  );

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-end gap-3 rounded-lg bg-white p-3 shadow-sm ring-1 ring-slate-200">
        {canDecide ? (
          <div className="flex gap-1 self-center">
            {tab(
              "pending",
              <>
                {t("pending")}
                {waiting.data ? <span className="ml-1.5 tabular-nums opacity-80">({waiting.data.total})</span> : null}
              </>,
            )}
            {tab("all", t("all"))}
          </div>
        ) : (
          <h2 className="self-center text-sm font-semibold text-slate-800">{isBusiness ? t("myLines") : t("all")}</h2>
        )}
        <Field label={t("productLine")} className="w-56">
          <Select
            value={productLineId ?? ""}
            onChange={(e) => filtered(setProductLineId)(e.target.value ? Number(e.target.value) : undefined)}
            data-testid="req-filter-line"
          >
            <option value="">{t("anyLine")}</option>
            {lines.data?.map((l) => (
              <option key={l.id} value={l.id}>
                {l.code} · {l.name}
              </option>
            ))}
          </Select>
        </Field>
        {pending ? null : (
          <Field label={t("status")} className="w-44">
            <Select
              value={status ?? ""}
              onChange={(e) => filtered(setStatus)((e.target.value || undefined) as RequestStatus | undefined)}
              data-testid="req-filter-status"
            >
              <option value="">{t("anyStatus")}</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {ts(s)}
                </option>
              ))}
            </Select>
          </Field>
        )}
        {isBusiness ? (
          <label className="flex items-center gap-2 self-center text-sm text-slate-700">
            <input type="checkbox" checked={mine} onChange={(e) => filtered(setMine)(e.target.checked)} data-testid="req-mine" />
            {t("mine")}
          </label>
        ) : null}
      </div>
      <ErrorNote error={list.error} />
      <DataTable
        columns={columns}
        rows={list.data?.rows ?? []}
        total={list.data?.total ?? 0}
        page={page}
        pageSize={REQUESTS_PAGE_SIZE}
        onPage={setPage}
        loading={list.isFetching}
        empty={pending ? t("noPending") : t("none")}
        rowTestId={(r) => `req-row-${r.id}`}
      />
    </div>
  );
}
