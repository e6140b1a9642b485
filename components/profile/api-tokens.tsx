"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import type { Role } from "@/generated/prisma/enums";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ErrorNote } from "@/components/ui/error-note";
import { Field, Input, Select } from "@/components/ui/field";
import { fieldErrors } from "@/components/ui/field-errors";
import { can, ROLES, roleWithin } from "@/lib/roles";
import { useTRPC } from "@/trpc/client";

const EXPIRY_DAYS = [7, 30, 90, 365];

/**
 * The profile's API tokens: create one (a role no higher than yours, optionally read-only), see it
 * once, revoke it. An ADMIN also creates tokens for service accounts and sees theirs here.
 */
export function ApiTokens({ role, origin }: { role: Role; origin: string }) {
  const t = useTranslations("profile.tokens");
  const tn = useTranslations("nav");
  const format = useFormatter();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const list = useQuery(trpc.tokens.list.queryOptions());
  const allowed = ROLES.filter((r) => roleWithin(r, role));
  const [form, setForm] = useState({ name: "", role, readOnly: false, expiresInDays: 90, account: "" });
  const [secret, setSecret] = useState<string | null>(null);
  const done = (r: { secret: string }) => {
    setSecret(r.secret);
    setForm((f) => ({ ...f, name: "", account: "" }));
    void qc.invalidateQueries({ queryKey: trpc.tokens.list.queryKey() });
  };
  const create = useMutation(trpc.tokens.create.mutationOptions({ onSuccess: done }));
  const createService = useMutation(trpc.tokens.createService.mutationOptions({ onSuccess: done }));
  const revoke = useMutation(trpc.tokens.revoke.mutationOptions({ onSuccess: () => qc.invalidateQueries({ queryKey: trpc.tokens.list.queryKey() }) }));
  const failed = create.error ?? createService.error;
  const errors = fieldErrors(failed);
  const admin = can(role, "administer");
  const now = Date.now();

  return (
    <Card title={t("title")}>
      <p className="mb-3 text-sm text-slate-600">{t("intro")}</p>
      <form
        className="mb-4 grid grid-cols-1 items-end gap-3 md:grid-cols-6"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const input = { name: form.name, role: form.role, readOnly: form.readOnly, expiresInDays: form.expiresInDays };
          if (admin && form.account) createService.mutate({ ...input, account: form.account, productLineIds: [] });
          else create.mutate(input);
        }}
      >
        <Field label={t("name")} error={errors.err("name")} className="md:col-span-2">
          <Input value={form.name} placeholder={t("namePlaceholder")} onChange={(e) => setForm({ ...form, name: e.target.value })} data-testid="token-name" />
        </Field>
        <Field label={t("role")} error={errors.err("role")}>
          <Select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })} data-testid="token-role">
            {(admin && form.account ? ROLES : allowed).map((r) => (
              <option key={r} value={r}>
                {tn(`roles.${r}`)}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t("expires")}>
          <Select value={form.expiresInDays} onChange={(e) => setForm({ ...form, expiresInDays: Number(e.target.value) })} data-testid="token-expiry">
            {EXPIRY_DAYS.map((d) => (
              <option key={d} value={d}>
                {t("days", { n: d })}
              </option>
            ))}
          </Select>
        </Field>
        {admin ? (
          <Field label={t("account")} hint={t("accountHint")} error={errors.err("account")}>
            <Input value={form.account} onChange={(e) => setForm({ ...form, account: e.target.value })} data-testid="token-account" />
          </Field>
        ) : null}
        <label className="flex items-center gap-2 pb-2 text-sm text-slate-700">
          <input type="checkbox" checked={form.readOnly} onChange={(e) => setForm({ ...form, readOnly: e.target.checked })} data-testid="token-readonly" />
          {t("readOnly")}
        </label>
        <div className="md:col-span-6">
          <Button type="submit" variant="primary" disabled={create.isPending || createService.isPending} data-testid="token-create">
            {admin && form.account ? t("createService") : t("create")}
          </Button>
        </div>
      </form>
      <ErrorNote error={errors.err("name") || errors.err("role") || errors.err("account") ? null : failed} />
      {secret ? (
        <div className="mb-4 space-y-2 rounded-md bg-amber-50 p-3 text-sm ring-1 ring-amber-200" role="status">
          <p className="font-medium text-amber-900">{t("shownOnce")}</p>
          <code className="block break-all rounded bg-white px-2 py-1 font-mono text-slate-900 ring-1 ring-amber-200" data-testid="token-secret">
            {secret}
          </code>
          <p className="text-amber-900">{t("login")}</p>
          <code className="block break-all font-mono text-xs text-slate-800">
            hedwig login --url {origin} --token {secret}
          </code>
          <Button onClick={() => setSecret(null)}>{t("done")}</Button>
        </div>
      ) : null}
      {list.data?.length ? (
        <table className="w-full text-left text-sm" data-testid="token-table">
          <thead className="text-xs text-slate-500">
            <tr>
              {(["name", "owner", "prefix", "role", "expires", "lastUsed", "state"] as const).map((c) => (
                <th key={c} className="py-1.5 pr-3 font-medium">
                  {t(`columns.${c}`)}
                </th>
              ))}
              <th />
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {list.data.map((k) => {
              const state = k.revokedAt ? "revoked" : new Date(k.expiresAt).getTime() <= now ? "expired" : "active";
              return (
                <tr key={k.id}>
                  <td className="py-1.5 pr-3 font-medium text-slate-800">{k.name}</td>
                  <td className="py-1.5 pr-3">{k.user.username}</td>
                  <td className="py-1.5 pr-3 font-mono text-xs">{k.prefix}…</td>
                  <td className="py-1.5 pr-3">
                    {tn(`roles.${k.role}`)} {k.readOnly ? <Badge>{t("readOnlyBadge")}</Badge> : null}
                  </td>
                  <td className="py-1.5 pr-3">{format.dateTime(new Date(k.expiresAt), { dateStyle: "medium" })}</td>
                  <td className="py-1.5 pr-3">
                    {k.lastUsedAt ? `${format.relativeTime(new Date(k.lastUsedAt), now)}${k.lastUsedIp ? ` · ${k.lastUsedIp}` : ""}` : t("never")}
                  </td>
                  <td className="py-1.5 pr-3">
                    <Badge tone={state === "active" ? "green" : "slate"}>{t(state)}</Badge>
                  </td>
                  <td className="py-1.5 text-right">
                    {state === "active" ? (
                      <Button
                        variant="ghost"
                        onClick={() => window.confirm(t("revokeConfirm", { name: k.name })) && revoke.mutate({ id: k.id })}
                        data-testid={`token-revoke-${k.id}`}
                      >
                        {t("revoke")}
                      </Button>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : (
        <p className="text-sm text-slate-500">{list.isLoading ? "…" : t("none")}</p>
      )}
    </Card>
  );
}
