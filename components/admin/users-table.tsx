"use client";

import { useQuery } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { useFormatter, useTranslations } from "next-intl";
import { useDeferredValue, useState } from "react";
import { Badge, type Tone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DataTable } from "@/components/ui/data-table";
import { ErrorNote } from "@/components/ui/error-note";
import { Field, Input, Select } from "@/components/ui/field";
import { useTRPC } from "@/trpc/client";
import { PasswordDialog } from "./password-dialog";
import { ROLES, type RoleName, type UserRow } from "./types";
import { UserFormDialog } from "./user-form";

const ROLE_TONE: Record<RoleName, Tone> = { ADMIN: "violet", DBA: "blue", NOC: "amber", BUSINESS: "slate" };

type Open = { kind: "create" } | { kind: "edit" | "password"; user: UserRow } | null;

/** Users are at most hundreds: the server filters, one page holds them all. */
export function UsersTable() {
  const t = useTranslations("users");
  const format = useFormatter();
  const tc = useTranslations("common");
  const tn = useTranslations("nav");
  const trpc = useTRPC();
  const [search, setSearch] = useState("");
  const [role, setRole] = useState<RoleName | undefined>();
  const [open, setOpen] = useState<Open>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const list = useQuery(trpc.admin.users.queryOptions({ search: useDeferredValue(search.trim()) || undefined, role }));
  const rows = list.data ?? [];

  const columns: ColumnDef<UserRow>[] = [
    { id: "username", header: t("username"), cell: ({ row }) => <span className="font-mono">{row.original.username}</span> },
    { id: "name", header: t("name"), cell: ({ row }) => row.original.displayName },
    { id: "email", header: t("email"), cell: ({ row }) => row.original.email ?? "—" },
    { id: "role", header: t("role"), cell: ({ row }) => <Badge tone={ROLE_TONE[row.original.role]}>{tn(`roles.${row.original.role}`)}</Badge> },
    {
      id: "productLines",
      header: t("productLines"),
      cell: ({ row }) =>
        row.original.productLines.length ? (
          <span className="inline-flex max-w-md flex-wrap gap-1">
            {row.original.productLines.map((p) => (
              <span key={p.id} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-[11px]">
                {p.code}
              </span>
            ))}
          </span>
        ) : (
          t("noProductLines")
        ),
    },
    {
      id: "status",
      header: t("status"),
      cell: ({ row }) => (
        <span className="inline-flex gap-1">
          {row.original.disabled ? <Badge tone="red">{t("disabled")}</Badge> : <Badge tone="green">{t("enabled")}</Badge>}
          {row.original.lockedUntil ? (
            <span data-testid={`user-locked-${row.original.username}`}>
              <Badge tone="amber">{t("lockedUntil", { time: format.dateTime(new Date(row.original.lockedUntil), { timeStyle: "medium" }) })}</Badge>
            </span>
          ) : null}
        </span>
      ),
    },
    {
      id: "actions",
      header: tc("actions"),
      cell: ({ row }) => (
        <span className="flex gap-1">
          <Button variant="ghost" onClick={() => setOpen({ kind: "edit", user: row.original })} data-testid={`user-edit-${row.original.username}`}>
            {tc("edit")}
          </Button>
          <Button variant="ghost" onClick={() => setOpen({ kind: "password", user: row.original })} data-testid={`user-password-${row.original.username}`}>
            {t("resetPassword")}
          </Button>
        </span>
      ),
    },
  ];

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-end gap-3 rounded-lg bg-white p-3 shadow-sm ring-1 ring-slate-200">
        <Field label={t("search")} className="min-w-56 flex-1">
          <Input value={search} onChange={(e) => setSearch(e.target.value)} data-testid="user-search" />
        </Field>
        <Field label={t("role")} className="min-w-40">
          <Select value={role ?? ""} onChange={(e) => setRole((e.target.value || undefined) as RoleName | undefined)} data-testid="user-role-filter">
            <option value="">{t("anyRole")}</option>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {tn(`roles.${r}`)}
              </option>
            ))}
          </Select>
        </Field>
        <Button variant="primary" onClick={() => setOpen({ kind: "create" })} data-testid="user-create">
          + {t("newUser")}
        </Button>
      </div>
      {notice ? (
        <p className="text-sm text-emerald-700" role="status">
          {notice}
        </p>
      ) : null}
      <ErrorNote error={list.error} />
      <DataTable
        columns={columns}
        rows={rows}
        total={rows.length}
        page={1}
        pageSize={Math.max(rows.length, 1)}
        onPage={() => undefined}
        loading={list.isFetching}
        rowTestId={(u) => `user-row-${u.username}`}
      />
      {open?.kind === "create" ? <UserFormDialog onClose={() => setOpen(null)} /> : null}
      {open?.kind === "edit" ? <UserFormDialog user={open.user} onClose={() => setOpen(null)} /> : null}
      {open?.kind === "password" ? (
        <PasswordDialog
          user={open.user}
          onClose={() => setOpen(null)}
          onDone={() => {
            setNotice(t("passwordReset", { username: open.user.username }));
            setOpen(null);
          }}
        />
      ) : null}
    </div>
  );
}
