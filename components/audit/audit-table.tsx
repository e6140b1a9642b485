"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { useFormatter, useTranslations } from "next-intl";
import { useDeferredValue, useState } from "react";
import { Button } from "@/components/ui/button";
import { DataTable } from "@/components/ui/data-table";
import { ErrorNote } from "@/components/ui/error-note";
import { Field, Input, Select } from "@/components/ui/field";
import { useText } from "@/components/ui/use-text";
import { useTRPC } from "@/trpc/client";
import { AuditDetailDialog } from "./audit-detail";
import type { AuditRow } from "./types";

const PAGE_SIZE = 50;
const EMPTY = { actor: "", action: "", entityType: "", entityId: "", from: "", to: "" };
type Filters = typeof EMPTY;

/** Dates are whole days in the browser's time zone; "to" includes its whole day. */
const dayStart = (d: string) => (d ? new Date(`${d}T00:00:00`) : undefined);
const dayEnd = (d: string) => (d ? new Date(`${d}T23:59:59.999`) : undefined);
const orNone = (s: string) => s.trim() || undefined;

export function AuditTable() {
  const t = useTranslations("audit");
  const format = useFormatter();
  const trpc = useTRPC();
  const [f, setF] = useState<Filters>(EMPTY);
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<AuditRow | null>(null);
  // Typing into a filter should not fire a query per keystroke.
  const typed = useDeferredValue(f);
  const types = useQuery(trpc.admin.auditEntityTypes.queryOptions());
  const list = useQuery({
    ...trpc.admin.audit.queryOptions({
      actor: orNone(typed.actor),
      action: orNone(typed.action),
      entityType: orNone(f.entityType),
      entityId: orNone(typed.entityId),
      from: dayStart(f.from),
      to: dayEnd(f.to),
      page,
      pageSize: PAGE_SIZE,
    }),
    placeholderData: keepPreviousData,
  });
  const set = (patch: Partial<Filters>) => {
    setF({ ...f, ...patch });
    setPage(1);
  };
  const text = (k: keyof Filters) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => set({ [k]: e.target.value });

  const say = useText();
  const columns: ColumnDef<AuditRow>[] = [
    {
      id: "at",
      header: t("at"),
      cell: ({ row }) => <span className="tabular-nums">{format.dateTime(row.original.at, { dateStyle: "short", timeStyle: "medium" })}</span>,
    },
    { id: "actor", header: t("actor"), cell: ({ row }) => row.original.actorName },
    { id: "action", header: t("action"), cell: ({ row }) => <span className="font-mono text-xs">{row.original.action}</span> },
    {
      id: "entity",
      header: t("entity"),
      cell: ({ row }) => {
        const { entityType, entityId } = row.original;
        // Clicking an entity narrows the log to its history.
        return (
          <button
            type="button"
            className="text-indigo-700 hover:underline"
            onClick={() => set({ entityType, entityId: entityId ?? "" })}
            data-testid="audit-entity-filter"
          >
            {entityType}
            {entityId ? <span className="font-mono"> #{entityId}</span> : null}
          </button>
        );
      },
    },
    {
      id: "summary",
      header: t("summary"),
      cell: ({ row }) => {
        // rows written before summaries were texts have only their English
        const said = say(row.original.text, row.original.summary);
        return (
          <span className="block max-w-xl truncate" title={said}>
            {said}
          </span>
        );
      },
    },
    {
      id: "diff",
      header: "",
      cell: ({ row }) =>
        row.original.before !== null || row.original.after !== null ? (
          <Button variant="ghost" onClick={() => setOpen(row.original)} data-testid="audit-open">
            {t("view")}
          </Button>
        ) : null,
    },
  ];

  return (
    <div className="space-y-3">
      <div className="grid gap-3 rounded-lg bg-white p-3 shadow-sm ring-1 ring-slate-200 md:grid-cols-3 xl:grid-cols-[1fr_1fr_1fr_1fr_auto_auto_auto]">
        <Field label={t("actor")} hint={t("actorHint")}>
          <Input value={f.actor} onChange={text("actor")} data-testid="audit-actor" />
        </Field>
        <Field label={t("action")} hint={t("actionHint")}>
          <Input value={f.action} onChange={text("action")} className="font-mono" data-testid="audit-action" />
        </Field>
        <Field label={t("entityType")}>
          <Select value={f.entityType} onChange={text("entityType")} data-testid="audit-entity-type">
            <option value="">{t("anyEntityType")}</option>
            {types.data?.map((ty) => (
              <option key={ty} value={ty}>
                {ty}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t("entityId")}>
          <Input value={f.entityId} onChange={text("entityId")} className="font-mono" data-testid="audit-entity-id" />
        </Field>
        <Field label={t("from")}>
          <Input type="date" value={f.from} onChange={text("from")} data-testid="audit-from" />
        </Field>
        <Field label={t("to")}>
          <Input type="date" value={f.to} onChange={text("to")} data-testid="audit-to" />
        </Field>
        <div className="flex items-end pb-0.5">
          <Button variant="ghost" onClick={() => set(EMPTY)} data-testid="audit-clear">
            {t("clear")}
          </Button>
        </div>
      </div>
      <ErrorNote error={list.error} />
      <DataTable
        columns={columns}
        rows={list.data?.rows ?? []}
        total={list.data?.total ?? 0}
        page={page}
        pageSize={PAGE_SIZE}
        onPage={setPage}
        loading={list.isFetching}
        rowTestId={() => "audit-row"}
      />
      {open ? <AuditDetailDialog entry={open} onClose={() => setOpen(null)} /> : null}
    </div>
  );
}
