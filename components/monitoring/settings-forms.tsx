"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ErrorNote } from "@/components/ui/error-note";
import { Field, Input } from "@/components/ui/field";
import { fieldErrors } from "@/components/ui/field-errors";
import { useTRPC } from "@/trpc/client";

export const NUMERIC_THRESHOLDS = [
  "memoryAmberPct",
  "memoryRedPct",
  "replLagAmberSec",
  "replLagRedSec",
  "hitRatioMinPct",
  "hitRatioMinLookupsPerSec",
  "latencyP99AmberUs",
  "latencyP99RedUs",
  "proxyTimeoutsAmber",
  "proxyTimeoutsRed",
] as const;
const BOOLEAN_THRESHOLDS = ["redisMustNotEvict", "memcachedMustNotEvict"] as const;
const COLLECTION = ["intervalSec", "rawRetentionDays", "minuteRetentionDays", "hourRetentionDays"] as const;

/** "" stays NaN so the server names the empty field instead of saving a zero. */
export const toNumber = (s: string) => (s.trim() === "" ? Number.NaN : Number(s));

/** Poll interval, retention per resolution and the address alert links use. */
export function CollectionSettings() {
  const t = useTranslations("monitoring");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const current = useQuery(trpc.monitoring.settings.queryOptions());
  const [draft, setDraft] = useState<Record<string, string> | null>(null);
  const [saved, setSaved] = useState(false);
  const save = useMutation(
    trpc.monitoring.saveSettings.mutationOptions({
      onSuccess: () => {
        setDraft(null);
        setSaved(true);
        void qc.invalidateQueries({ queryKey: trpc.monitoring.settings.queryKey() });
      },
    }),
  );
  const s = current.data?.monitoring;
  if (!s) return null;
  const values: Record<string, string> = draft ?? { ...Object.fromEntries(COLLECTION.map((k) => [k, String(s[k])])), publicUrl: s.publicUrl };
  const set = (k: string, v: string) => (setSaved(false), setDraft({ ...values, [k]: v }));
  const { err, any } = fieldErrors(save.error);
  return (
    <Card title={t("collection.title")}>
      <p className="mb-3 text-sm text-slate-600">{t("collection.hint")}</p>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({
            ...(Object.fromEntries(COLLECTION.map((k) => [k, toNumber(values[k]!)])) as Record<(typeof COLLECTION)[number], number>),
            publicUrl: values.publicUrl!,
          });
        }}
        className="space-y-3"
      >
        <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
          {COLLECTION.map((k) => (
            <Field key={k} label={t(`collection.${k}`)} hint={t(`collection.${k}Hint`)} error={err(k)}>
              <Input type="number" value={values[k]} invalid={!!err(k)} onChange={(e) => set(k, e.target.value)} data-testid={`mon-${k}`} />
            </Field>
          ))}
        </div>
        <Field label={t("collection.publicUrl")} hint={t("collection.publicUrlHint")} error={err("publicUrl")}>
          <Input
            value={values.publicUrl}
            invalid={!!err("publicUrl")}
            onChange={(e) => set("publicUrl", e.target.value)}
            className="font-mono"
            data-testid="mon-publicUrl"
          />
        </Field>
        <ErrorNote error={any ? null : save.error} />
        {saved ? (
          <p className="text-sm text-emerald-700" role="status">
            {tc("saved")}
          </p>
        ) : null}
        <div className="flex gap-2">
          <Button type="submit" variant="primary" disabled={!draft || save.isPending} data-testid="mon-save">
            {tc("save")}
          </Button>
          <Button disabled={!draft} onClick={() => setDraft(null)}>
            {t("reset")}
          </Button>
        </div>
      </form>
    </Card>
  );
}

/** The health rules' thresholds for every service (a service may override them below). */
export function ThresholdSettings() {
  const t = useTranslations("monitoring");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const current = useQuery(trpc.monitoring.settings.queryOptions());
  const [draft, setDraft] = useState<Record<string, string | boolean> | null>(null);
  const [saved, setSaved] = useState(false);
  const save = useMutation(
    trpc.monitoring.saveThresholds.mutationOptions({
      onSuccess: () => {
        setDraft(null);
        setSaved(true);
        void qc.invalidateQueries({ queryKey: trpc.monitoring.pathKey() });
      },
    }),
  );
  const th = current.data?.thresholds;
  if (!th) return null;
  const values: Record<string, string | boolean> = draft ?? {
    ...Object.fromEntries(NUMERIC_THRESHOLDS.map((k) => [k, String(th[k])])),
    redisMustNotEvict: th.redisMustNotEvict,
    memcachedMustNotEvict: th.memcachedMustNotEvict,
  };
  const set = (k: string, v: string | boolean) => (setSaved(false), setDraft({ ...values, [k]: v }));
  const { err, any } = fieldErrors(save.error);
  return (
    <Card title={t("thresholds.title")}>
      <p className="mb-3 text-sm text-slate-600">{t("thresholds.hint")}</p>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({
            ...(Object.fromEntries(NUMERIC_THRESHOLDS.map((k) => [k, toNumber(values[k] as string)])) as Record<(typeof NUMERIC_THRESHOLDS)[number], number>),
            redisMustNotEvict: values.redisMustNotEvict as boolean,
            memcachedMustNotEvict: values.memcachedMustNotEvict as boolean,
          });
        }}
        className="space-y-3"
      >
        <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
          {NUMERIC_THRESHOLDS.map((k) => (
            <Field key={k} label={t(`thresholds.${k}`)} error={err(k)}>
              <Input type="number" value={values[k] as string} invalid={!!err(k)} onChange={(e) => set(k, e.target.value)} data-testid={`th-${k}`} />
            </Field>
          ))}
        </div>
        <div className="flex flex-wrap gap-6">
          {BOOLEAN_THRESHOLDS.map((k) => (
            <label key={k} className="flex items-center gap-2 text-sm text-slate-700">
              <input type="checkbox" checked={values[k] as boolean} onChange={(e) => set(k, e.target.checked)} data-testid={`th-${k}`} />
              {t(`thresholds.${k}`)}
            </label>
          ))}
        </div>
        <ErrorNote error={any ? null : save.error} />
        {saved ? (
          <p className="text-sm text-emerald-700" role="status">
            {tc("saved")}
          </p>
        ) : null}
        <div className="flex gap-2">
          <Button type="submit" variant="primary" disabled={!draft || save.isPending} data-testid="th-save">
            {tc("save")}
          </Button>
          <Button disabled={!draft} onClick={() => setDraft(null)}>
            {t("reset")}
          </Button>
        </div>
      </form>
    </Card>
  );
}
