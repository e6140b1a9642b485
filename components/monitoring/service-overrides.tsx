"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ErrorNote } from "@/components/ui/error-note";
import { Field, Input, Select } from "@/components/ui/field";
import { fieldErrors } from "@/components/ui/field-errors";
import { useTRPC } from "@/trpc/client";
import { NUMERIC_THRESHOLDS, toNumber } from "./settings-forms";

type Draft = Record<string, string>;

/** Choose a service, then set any threshold for it alone; an empty field follows the settings. */
export function ServiceOverrides() {
  const t = useTranslations("monitoring");
  const trpc = useTRPC();
  const [q, setQ] = useState("");
  const [serviceId, setServiceId] = useState<number | null>(null);
  const options = useQuery(trpc.monitoring.serviceOptions.queryOptions({ q }));
  return (
    <Card title={t("overrides.title")}>
      <p className="mb-3 text-sm text-slate-600">{t("overrides.hint")}</p>
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label={t("overrides.search")}>
          <Input value={q} onChange={(e) => setQ(e.target.value)} placeholder={t("overrides.searchPlaceholder")} data-testid="ov-search" />
        </Field>
        <Field label={t("overrides.service")}>
          <Select value={serviceId ?? ""} onChange={(e) => setServiceId(e.target.value ? Number(e.target.value) : null)} data-testid="ov-service">
            <option value="">{t("overrides.choose")}</option>
            {options.data?.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
                {Object.keys((s.healthOverrides ?? {}) as object).length ? ` · ${t("overrides.hasOverrides")}` : ""}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      {serviceId ? <OverridesForm key={serviceId} serviceId={serviceId} /> : null}
    </Card>
  );
}

function OverridesForm({ serviceId }: { serviceId: number }) {
  const t = useTranslations("monitoring");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const current = useQuery(trpc.monitoring.serviceOverrides.queryOptions({ serviceId }));
  const settings = useQuery(trpc.monitoring.settings.queryOptions());
  const [draft, setDraft] = useState<Draft | null>(null);
  const [saved, setSaved] = useState(false);
  const save = useMutation(
    trpc.monitoring.saveServiceOverrides.mutationOptions({
      onSuccess: () => {
        setDraft(null);
        setSaved(true);
        void qc.invalidateQueries({ queryKey: trpc.monitoring.pathKey() });
      },
    }),
  );
  const o = current.data?.overrides;
  const base = settings.data?.thresholds;
  if (!o || !base) return <p className="mt-3 text-sm text-slate-500">{tc("loading")}</p>;
  const values: Draft = draft ?? {
    ...Object.fromEntries(NUMERIC_THRESHOLDS.map((k) => [k, o[k] === undefined ? "" : String(o[k])])),
    mustNotEvict: o.mustNotEvict === undefined ? "" : String(o.mustNotEvict),
  };
  const set = (k: string, v: string) => (setSaved(false), setDraft({ ...values, [k]: v }));
  const { err, any } = fieldErrors(save.error);
  const submit = (overrides: Draft) => {
    const out: Record<string, number | boolean> = {};
    for (const k of NUMERIC_THRESHOLDS) if (overrides[k]!.trim() !== "") out[k] = toNumber(overrides[k]!);
    if (overrides.mustNotEvict) out.mustNotEvict = overrides.mustNotEvict === "true";
    save.mutate({ serviceId, ...out });
  };
  return (
    <form
      noValidate
      className="mt-4 space-y-3 border-t border-slate-100 pt-4"
      onSubmit={(e) => {
        e.preventDefault();
        submit(values);
      }}
    >
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        {NUMERIC_THRESHOLDS.map((k) => (
          <Field key={k} label={t(`thresholds.${k}`)} error={err(k)} hint={values[k] === "" ? t("overrides.inherits", { value: String(base[k]) }) : undefined}>
            <Input
              type="number"
              value={values[k]}
              placeholder={String(base[k])}
              invalid={!!err(k)}
              onChange={(e) => set(k, e.target.value)}
              data-testid={`ov-${k}`}
            />
          </Field>
        ))}
        <Field label={t("overrides.mustNotEvict")}>
          <Select value={values.mustNotEvict} onChange={(e) => set("mustNotEvict", e.target.value)} data-testid="ov-mustNotEvict">
            <option value="">{t("overrides.byKind")}</option>
            <option value="true">{t("overrides.mustNotEvictYes")}</option>
            <option value="false">{t("overrides.mustNotEvictNo")}</option>
          </Select>
        </Field>
      </div>
      <ErrorNote error={any ? null : save.error} />
      {saved ? (
        <p className="text-sm text-emerald-700" role="status">
          {tc("saved")}
        </p>
      ) : null}
      <div className="flex gap-2">
        <Button type="submit" variant="primary" disabled={!draft || save.isPending} data-testid="ov-save">
          {tc("save")}
        </Button>
        <Button onClick={() => submit(Object.fromEntries(Object.keys(values).map((k) => [k, ""])))} disabled={save.isPending} data-testid="ov-clear">
          {t("overrides.clear")}
        </Button>
      </div>
    </form>
  );
}
