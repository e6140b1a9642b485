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
import { toNumber } from "./settings-forms";

const FIELDS = ["checkSeconds", "maxRestartsPerHour"] as const;

/** The reconciler's settings: how often it looks, how many automatic restarts an hour before it escalates. */
export function RestartSettings() {
  const t = useTranslations("healing.settings");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const current = useQuery(trpc.healing.settings.queryOptions());
  const [draft, setDraft] = useState<Record<string, string> | null>(null);
  const [saved, setSaved] = useState(false);
  const save = useMutation(
    trpc.healing.saveSettings.mutationOptions({
      onSuccess: () => {
        setDraft(null);
        setSaved(true);
        void qc.invalidateQueries({ queryKey: trpc.healing.settings.queryKey() });
      },
    }),
  );
  const s = current.data?.settings;
  if (!s) return <ErrorNote error={current.error} />;
  const values: Record<string, string> = draft ?? Object.fromEntries(FIELDS.map((k) => [k, String(s[k])]));
  const { err, any } = fieldErrors(save.error);
  return (
    <Card title={t("title")}>
      <p className="mb-3 text-sm text-slate-600">{t("subtitle")}</p>
      <form
        noValidate
        className="space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ checkSeconds: toNumber(values.checkSeconds!), maxRestartsPerHour: toNumber(values.maxRestartsPerHour!) });
        }}
      >
        <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
          {FIELDS.map((k) => (
            <Field key={k} label={t(k)} hint={k === "maxRestartsPerHour" ? t("maxHint") : undefined} error={err(k)}>
              <Input
                type="number"
                value={values[k]}
                invalid={!!err(k)}
                onChange={(e) => (setSaved(false), setDraft({ ...values, [k]: e.target.value }))}
                data-testid={`reconciler-${k}`}
              />
            </Field>
          ))}
        </div>
        <ErrorNote error={any ? null : save.error} />
        {saved ? (
          <p className="text-sm text-emerald-700" role="status">
            {tc("saved")}
          </p>
        ) : null}
        <Button type="submit" variant="primary" disabled={!draft || save.isPending} data-testid="reconciler-save">
          {tc("save")}
        </Button>
      </form>
    </Card>
  );
}
