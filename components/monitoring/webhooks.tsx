"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Dialog } from "@/components/ui/dialog";
import { ErrorNote } from "@/components/ui/error-note";
import { Field, Input, Select } from "@/components/ui/field";
import { fieldErrors } from "@/components/ui/field-errors";
import { useTRPC } from "@/trpc/client";

type Format = "GENERIC" | "DINGTALK" | "WECOM";
type Hook = { id: number; name: string; url: string; format: Format; locale: string | null; enabled: boolean; productLineId: number | null };
type TestResult = { id: number; ok: boolean; error: string | null };

/** Where alerts go: one message per incident when it opens, in the receiver's format. */
export function Webhooks() {
  const t = useTranslations("monitoring.webhooks");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const hooks = useQuery(trpc.monitoring.webhooks.queryOptions());
  const lines = useQuery(trpc.productLines.list.queryOptions({}));
  const [editing, setEditing] = useState<Hook | "new" | null>(null);
  const [tested, setTested] = useState<TestResult | null>(null);
  const refresh = () => void qc.invalidateQueries({ queryKey: trpc.monitoring.webhooks.queryKey() });
  const remove = useMutation(trpc.monitoring.deleteWebhook.mutationOptions({ onSuccess: refresh }));
  const test = useMutation(trpc.monitoring.testWebhook.mutationOptions({ onSuccess: (r, v) => setTested({ id: v.id, ...r }) }));
  const lineName = (id: number | null) => (id === null ? t("allLines") : (lines.data?.find((l) => l.id === id)?.code ?? `#${id}`));
  return (
    <Card
      title={t("title")}
      actions={
        <Button variant="primary" onClick={() => setEditing("new")} data-testid="wh-add">
          + {t("add")}
        </Button>
      }
    >
      <p className="mb-3 text-sm text-slate-600">{t("hint")}</p>
      <table className="w-full text-sm">
        <thead>
          <tr className="border-b border-slate-200 text-left text-xs text-slate-500">
            <th className="py-1.5 pr-3 font-medium">{t("name")}</th>
            <th className="py-1.5 pr-3 font-medium">{t("format")}</th>
            <th className="py-1.5 pr-3 font-medium">{t("scope")}</th>
            <th className="py-1.5 pr-3 font-medium">{t("url")}</th>
            <th className="py-1.5 pr-3 font-medium">{tc("actions")}</th>
          </tr>
        </thead>
        <tbody>
          {hooks.data?.length === 0 ? (
            <tr>
              <td colSpan={5} className="py-3 text-slate-500">
                {t("none")}
              </td>
            </tr>
          ) : null}
          {hooks.data?.map((h) => (
            <tr key={h.id} className="border-b border-slate-100 align-top" data-testid={`wh-row-${h.name}`}>
              <td className="py-2 pr-3 font-medium text-slate-800">
                {h.name} {h.enabled ? null : <Badge tone="slate">{t("disabled")}</Badge>}
              </td>
              <td className="py-2 pr-3">
                <Badge tone="blue">{t(`formats.${h.format}`)}</Badge>
              </td>
              <td className="py-2 pr-3">{lineName(h.productLineId)}</td>
              <td className="max-w-[22rem] truncate py-2 pr-3 font-mono text-xs text-slate-600" title={h.url}>
                {h.url}
              </td>
              <td className="py-2 pr-3">
                <div className="flex flex-wrap gap-1">
                  <Button variant="ghost" onClick={() => test.mutate({ id: h.id })} disabled={test.isPending} data-testid={`wh-test-${h.name}`}>
                    {t("test")}
                  </Button>
                  <Button variant="ghost" onClick={() => setEditing(h)}>
                    {tc("edit")}
                  </Button>
                  <Button variant="ghost" onClick={() => window.confirm(tc("confirmDelete", { what: h.name })) && remove.mutate({ id: h.id })}>
                    {tc("delete")}
                  </Button>
                </div>
                {tested?.id === h.id ? (
                  <p className={tested.ok ? "mt-1 text-xs text-emerald-700" : "mt-1 text-xs text-rose-700"} role="status" data-testid="wh-test-result">
                    {tested.ok ? t("testOk") : t("testFailed", { error: tested.error ?? "" })}
                  </p>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ErrorNote error={remove.error ?? test.error} />
      {editing ? <WebhookDialog hook={editing === "new" ? null : editing} lines={lines.data ?? []} onClose={() => (setEditing(null), refresh())} /> : null}
    </Card>
  );
}

function WebhookDialog({ hook, lines, onClose }: { hook: Hook | null; lines: { id: number; code: string }[]; onClose: () => void }) {
  const t = useTranslations("monitoring.webhooks");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const [v, setV] = useState({
    name: hook?.name ?? "",
    url: hook?.url ?? "",
    format: hook?.format ?? ("GENERIC" as Format),
    locale: (hook?.locale ?? null) as "en" | "zh" | null,
    enabled: hook?.enabled ?? true,
    productLineId: hook?.productLineId ?? null,
  });
  const create = useMutation(trpc.monitoring.createWebhook.mutationOptions({ onSuccess: onClose }));
  const update = useMutation(trpc.monitoring.updateWebhook.mutationOptions({ onSuccess: onClose }));
  const m = hook ? update : create;
  const { err, any } = fieldErrors(m.error);
  return (
    <Dialog open onClose={onClose} title={hook ? t("editTitle", { name: hook.name }) : t("addTitle")}>
      <form
        noValidate
        className="space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          if (hook) update.mutate({ id: hook.id, ...v });
          else create.mutate(v);
        }}
      >
        <Field label={t("name")} error={err("name")}>
          <Input value={v.name} invalid={!!err("name")} onChange={(e) => setV({ ...v, name: e.target.value })} data-testid="wh-name" />
        </Field>
        <Field label={t("url")} error={err("url")} hint={t(`urlHint.${v.format}`)}>
          <Input value={v.url} invalid={!!err("url")} onChange={(e) => setV({ ...v, url: e.target.value })} className="font-mono" data-testid="wh-url" />
        </Field>
        <div className="grid gap-3 sm:grid-cols-3">
          <Field label={t("format")}>
            <Select value={v.format} onChange={(e) => setV({ ...v, format: e.target.value as Format })} data-testid="wh-format">
              {(["GENERIC", "DINGTALK", "WECOM"] as const).map((f) => (
                <option key={f} value={f}>
                  {t(`formats.${f}`)}
                </option>
              ))}
            </Select>
          </Field>
          <Field label={t("language")} hint={t("languageHint")}>
            <Select value={v.locale ?? ""} onChange={(e) => setV({ ...v, locale: (e.target.value || null) as "en" | "zh" | null })} data-testid="wh-locale">
              <option value="">{t("languageDefault")}</option>
              <option value="zh">中文</option>
              <option value="en">English</option>
            </Select>
          </Field>
          <Field label={t("scope")} error={err("productLineId")}>
            <Select value={v.productLineId ?? ""} onChange={(e) => setV({ ...v, productLineId: e.target.value ? Number(e.target.value) : null })}>
              <option value="">{t("allLines")}</option>
              {lines.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.code}
                </option>
              ))}
            </Select>
          </Field>
        </div>
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" checked={v.enabled} onChange={(e) => setV({ ...v, enabled: e.target.checked })} />
          {t("enabled")}
        </label>
        <ErrorNote error={any ? null : m.error} />
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>{tc("cancel")}</Button>
          <Button type="submit" variant="primary" disabled={m.isPending} data-testid="wh-save">
            {tc("save")}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
