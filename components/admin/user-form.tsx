"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { CheckList } from "@/components/ui/check-list";
import { Dialog } from "@/components/ui/dialog";
import { ErrorNote } from "@/components/ui/error-note";
import { Field, Input, Select } from "@/components/ui/field";
import { fieldErrors } from "@/components/ui/field-errors";
import { useTRPC } from "@/trpc/client";
import { ROLES, type RoleName, type UserRow } from "./types";

/**
 * Create a user, or change an existing one's name, e-mail, role, product lines and whether they may sign in.
 * The server refuses to demote or disable the last enabled ADMIN; its sentence appears below the form.
 */
export function UserFormDialog({ user, onClose }: { user?: UserRow; onClose: () => void }) {
  const t = useTranslations("users");
  const tc = useTranslations("common");
  const tn = useTranslations("nav");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const productLines = useQuery(trpc.productLines.list.queryOptions({}));
  const [f, setF] = useState({
    username: user?.username ?? "",
    displayName: user?.displayName ?? "",
    email: user?.email ?? "",
    role: (user?.role ?? "BUSINESS") as RoleName,
    password: "",
    disabled: user?.disabled ?? false,
    productLineIds: user?.productLines.map((p) => p.id) ?? [],
  });
  const done = () => {
    void qc.invalidateQueries({ queryKey: trpc.admin.users.queryKey() });
    // Memberships show on the product lines page too.
    void qc.invalidateQueries({ queryKey: trpc.productLines.list.queryKey() });
    onClose();
  };
  const create = useMutation(trpc.admin.createUser.mutationOptions({ onSuccess: done }));
  const update = useMutation(trpc.admin.updateUser.mutationOptions({ onSuccess: done }));
  const m = user ? update : create;
  const fe = fieldErrors(m.error);
  const set = (k: "username" | "displayName" | "email" | "password" | "role") => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
    setF({ ...f, [k]: e.target.value });

  function submit(e: React.FormEvent) {
    e.preventDefault();
    const common = { displayName: f.displayName, email: f.email.trim() || null, role: f.role, productLineIds: f.productLineIds };
    if (user) update.mutate({ id: user.id, ...common, disabled: f.disabled });
    else create.mutate({ ...common, username: f.username, password: f.password });
  }

  const options = (productLines.data ?? []).map((p) => ({ value: p.id, label: p.code, hint: p.name }));
  return (
    <Dialog open onClose={onClose} title={user ? t("editUser", { username: user.username }) : t("newUser")} wide>
      <form onSubmit={submit} className="space-y-3" noValidate data-testid="user-form">
        <div className="grid gap-3 md:grid-cols-2">
          <Field label={t("username")} hint={user ? undefined : t("usernameHint")} error={fe.err("username")}>
            <Input value={f.username} onChange={set("username")} disabled={!!user} className="font-mono" name="username" autoComplete="off" />
          </Field>
          <Field label={t("name")} error={fe.err("displayName")}>
            <Input value={f.displayName} onChange={set("displayName")} name="displayName" />
          </Field>
          <Field label={t("email")} error={fe.err("email")}>
            <Input type="email" value={f.email} onChange={set("email")} name="email" placeholder="li.lei@example.com" />
          </Field>
          <Field label={t("role")} hint={t(`roleHints.${f.role}`)} error={fe.err("role")}>
            <Select value={f.role} onChange={set("role")} name="role">
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {tn(`roles.${r}`)}
                </option>
              ))}
            </Select>
          </Field>
          {user ? (
            <Field label={t("status")} hint={t("disableHint")}>
              <span className="flex items-center gap-2 py-1.5 text-sm">
                <input
                  type="checkbox"
                  checked={f.disabled}
                  onChange={(e) => setF({ ...f, disabled: e.target.checked })}
                  name="disabled"
                  data-testid="user-disabled"
                />
                {t("disabled")}
              </span>
            </Field>
          ) : (
            <Field label={t("password")} hint={t("passwordHint")} error={fe.err("password")}>
              <Input type="password" value={f.password} onChange={set("password")} name="password" autoComplete="new-password" />
            </Field>
          )}
        </div>
        {/* A fieldset, not a Field: the list holds labels of its own, and labels must not nest. */}
        <fieldset className="space-y-1">
          <legend className="text-xs font-medium text-slate-600">{t("productLines")}</legend>
          <CheckList
            options={options}
            value={f.productLineIds}
            onChange={(productLineIds) => setF({ ...f, productLineIds })}
            filterPlaceholder={t("filterProductLines")}
            testId="user-product-lines"
          />
          {fe.err("productLineIds") ? (
            <span className="block text-xs text-rose-600" role="alert">
              {fe.err("productLineIds")}
            </span>
          ) : (
            <span className="block text-xs text-slate-500">{t("productLinesHint")}</span>
          )}
        </fieldset>
        <ErrorNote error={fe.any ? null : m.error} />
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>{tc("cancel")}</Button>
          <Button type="submit" variant="primary" disabled={m.isPending} data-testid="user-save">
            {user ? tc("save") : tc("create")}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
