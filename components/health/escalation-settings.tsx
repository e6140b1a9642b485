"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { toNumber } from "@/components/monitoring/settings-forms";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ErrorNote } from "@/components/ui/error-note";
import { Field, Input, Select } from "@/components/ui/field";
import { fieldErrors } from "@/components/ui/field-errors";
import { useTRPC } from "@/trpc/client";

const STARS = ["5", "4", "3", "2", "1"] as const;

/** Minutes without acknowledgement before an incident escalates, per importance; the language of webhook texts. */
export function EscalationSettings() {
  const t = useTranslations("health.settings");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const current = useQuery(trpc.incidents.settings.queryOptions());
  const [draft, setDraft] = useState<{ minutes: Record<string, string>; alertLocale: "en" | "zh" } | null>(null);
  const [saved, setSaved] = useState(false);
  const save = useMutation(
    trpc.incidents.saveSettings.mutationOptions({
      onSuccess: () => {
        setDraft(null);
        setSaved(true);
        void qc.invalidateQueries({ queryKey: trpc.incidents.settings.queryKey() });
      },
    }),
  );
  const s = current.data;
  if (!s) return null;
  const values = draft ?? { minutes: Object.fromEntries(STARS.map((k) => [k, String(s.escalateAfterMinutes[k])])), alertLocale: s.alertLocale };
  const { err, any } = fieldErrors(save.error);
  return (
    <Card title={t("title")}>
      <p className="mb-3 text-sm text-slate-600">{t("hint")}</p>
      <form
        noValidate
        className="space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({
            escalateAfterMinutes: Object.fromEntries(STARS.map((k) => [k, toNumber(values.minutes[k]!)])) as Record<(typeof STARS)[number], number>,
            alertLocale: values.alertLocale,
          });
        }}
      >
        <div className="grid gap-3 sm:grid-cols-3 lg:grid-cols-6">
          {STARS.map((k) => (
            <Field key={k} label={t("stars", { n: k })} error={err(`escalateAfterMinutes.${k}`)}>
              <Input
                type="number"
                value={values.minutes[k]}
                onChange={(e) => (setSaved(false), setDraft({ ...values, minutes: { ...values.minutes, [k]: e.target.value } }))}
                data-testid={`esc-${k}`}
              />
            </Field>
          ))}
          <Field label={t("locale")}>
            <Select
              value={values.alertLocale}
              onChange={(e) => (setSaved(false), setDraft({ ...values, alertLocale: e.target.value as "en" | "zh" }))}
              data-testid="esc-locale"
            >
              <option value="en">English</option>
              <option value="zh">简体中文</option>
            </Select>
          </Field>
        </div>
        <ErrorNote error={any ? null : save.error} />
        {saved ? (
          <p className="text-sm text-emerald-700" role="status">
            {t("saved")}
          </p>
        ) : null}
        <Button type="submit" variant="primary" disabled={!draft || save.isPending} data-testid="esc-save">
          {t("save")}
        </Button>
      </form>
    </Card>
  );
}
