"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { useTranslations } from "next-intl";
import { useDeferredValue, useState } from "react";
import { Badge, Stars } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DataTable } from "@/components/ui/data-table";
import { ErrorNote } from "@/components/ui/error-note";
import { Field, Input, Select } from "@/components/ui/field";
import { useTRPC } from "@/trpc/client";
import { MembersDialog } from "./members-dialog";
import { IMPORTANCE, ProductLineFormDialog } from "./product-line-form";
import type { ProductLineRow } from "./types";

const SHOWN_MEMBERS = 3;

type Open = { kind: "create" } | { kind: "edit" | "members"; line: ProductLineRow } | null;

/** Product lines are tens, not thousands: the server filters, the whole list comes back in one page. */
export function ProductLinesTable({ canWrite, isAdmin }: { canWrite: boolean; isAdmin: boolean }) {
  const t = useTranslations("productLines");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [search, setSearch] = useState("");
  const [departmentId, setDepartmentId] = useState<number | undefined>();
  const [importance, setImportance] = useState<number | undefined>();
  const [open, setOpen] = useState<Open>(null);
  const departments = useQuery(trpc.productLines.departments.queryOptions());
  const list = useQuery(trpc.productLines.list.queryOptions({ search: useDeferredValue(search.trim()) || undefined, departmentId, importance }));
  const remove = useMutation(trpc.productLines.delete.mutationOptions({ onSuccess: () => qc.invalidateQueries({ queryKey: trpc.productLines.pathKey() }) }));
  const rows = list.data ?? [];

  const columns: ColumnDef<ProductLineRow>[] = [
    { id: "code", header: t("code"), cell: ({ row }) => <span className="font-mono">{row.original.code}</span> },
    {
      id: "name",
      header: t("name"),
      cell: ({ row }) => (
        <span title={row.original.description || undefined}>
          {row.original.name} {row.original.isDemo ? <Badge>{tc("demo")}</Badge> : null}
        </span>
      ),
    },
    { id: "department", header: t("department"), cell: ({ row }) => row.original.department.name },
    { id: "importance", header: t("importance"), cell: ({ row }) => <Stars n={row.original.importance} /> },
    { id: "services", header: t("services"), cell: ({ row }) => <span className="tabular-nums">{row.original.services}</span> },
    { id: "members", header: t("members"), cell: ({ row }) => <Members members={row.original.members} /> },
  ];
  if (canWrite) {
    columns.push({
      id: "actions",
      header: tc("actions"),
      cell: ({ row }) => (
        <span className="flex gap-1">
          <Button variant="ghost" onClick={() => setOpen({ kind: "edit", line: row.original })} data-testid={`pl-edit-${row.original.code}`}>
            {tc("edit")}
          </Button>
          {isAdmin ? (
            <>
              <Button variant="ghost" onClick={() => setOpen({ kind: "members", line: row.original })} data-testid={`pl-members-${row.original.code}`}>
                {t("setMembers")}
              </Button>
              <Button
                variant="ghost"
                className="text-rose-700"
                disabled={remove.isPending}
                onClick={() => window.confirm(tc("confirmDelete", { what: row.original.code })) && remove.mutate({ id: row.original.id })}
                data-testid={`pl-delete-${row.original.code}`}
              >
                {tc("delete")}
              </Button>
            </>
          ) : null}
        </span>
      ),
    });
  }

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-end gap-3 rounded-lg bg-white p-3 shadow-sm ring-1 ring-slate-200">
        <Field label={t("search")} className="min-w-56 flex-1">
          <Input value={search} onChange={(e) => setSearch(e.target.value)} placeholder="trade-cart" data-testid="pl-search" />
        </Field>
        <Field label={t("department")} className="min-w-48">
          <Select value={departmentId ?? ""} onChange={(e) => setDepartmentId(e.target.value ? Number(e.target.value) : undefined)} data-testid="pl-department">
            <option value="">{t("anyDepartment")}</option>
            {departments.data?.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t("importance")} className="min-w-40">
          <Select value={importance ?? ""} onChange={(e) => setImportance(e.target.value ? Number(e.target.value) : undefined)} data-testid="pl-importance">
            <option value="">{t("anyImportance")}</option>
            {IMPORTANCE.map((n) => (
              <option key={n} value={n}>
                {"★".repeat(n)}
              </option>
            ))}
          </Select>
        </Field>
        {canWrite ? (
          <Button variant="primary" onClick={() => setOpen({ kind: "create" })} data-testid="pl-create">
            + {t("newProductLine")}
          </Button>
        ) : null}
      </div>
      <ErrorNote error={list.error ?? remove.error} />
      <DataTable
        columns={columns}
        rows={rows}
        total={rows.length}
        page={1}
        pageSize={Math.max(rows.length, 1)}
        onPage={() => undefined}
        loading={list.isFetching}
        rowTestId={(r) => `pl-row-${r.code}`}
      />
      {open?.kind === "create" ? <ProductLineFormDialog onClose={() => setOpen(null)} /> : null}
      {open?.kind === "edit" ? <ProductLineFormDialog line={open.line} onClose={() => setOpen(null)} /> : null}
      {open?.kind === "members" ? <MembersDialog line={open.line} onClose={() => setOpen(null)} /> : null}
    </div>
  );
}

function Members({ members }: { members: ProductLineRow["members"] }) {
  const t = useTranslations("productLines");
  if (members.length === 0) return <span className="text-slate-400">{t("noMembers")}</span>;
  const rest = members.length - SHOWN_MEMBERS;
  return (
    <span className="inline-flex flex-wrap gap-1" title={members.map((m) => `${m.username} · ${m.displayName}`).join("\n")}>
      {members.slice(0, SHOWN_MEMBERS).map((m) => (
        <Badge key={m.id}>{m.username}</Badge>
      ))}
      {rest > 0 ? <span className="text-xs text-slate-500">{t("moreMembers", { count: rest })}</span> : null}
    </span>
  );
}
