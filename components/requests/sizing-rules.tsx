"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ErrorNote } from "@/components/ui/error-note";
import { Field, Input } from "@/components/ui/field";
import { useTRPC } from "@/trpc/client";

type Settings = Record<string, number | Record<string, number>>;

/** The thresholds sizing uses, editable by a DBA; the server refuses values the rules cannot use. */
export function SizingRules() {
  const t = useTranslations("requests.sizing");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const current = useQuery(trpc.requests.sizingSettings.queryOptions());
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState<Settings | null>(null);
  const [saved, setSaved] = useState(false);
  const save = useMutation(
    trpc.requests.saveSizingSettings.mutationOptions({
      onSuccess: () => {
        setDraft(null);
        setSaved(true);
        void qc.invalidateQueries({ queryKey: trpc.requests.pathKey() });
      },
    }),
  );
  const s = (draft ?? current.data) as Settings | undefined;
  if (!s) return null;
  const set = (key: string, value: number | Record<string, number>) => {
    setSaved(false);
    setDraft({ ...s, [key]: value });
  };
  return (
    <Card
      title={t("title")}
      actions={
        <Button variant="ghost" onClick={() => setOpen(!open)} data-testid="sizing-toggle">
          {open ? t("hide") : t("show")}
        </Button>
      }
    >
      <p className="text-sm text-slate-600">{t("hint")}</p>
      {open ? (
        <div className="mt-3 space-y-3">
          <div className="grid gap-3 sm:grid-cols-3 lg:grid-cols-5">
            {Object.entries(s).map(([key, value]) =>
              typeof value === "number" ? (
                <Field key={key} label={t(`fields.${key}`)}>
                  <Input type="number" step="any" value={value} onChange={(e) => set(key, Number(e.target.value))} data-testid={`sizing-${key}`} />
                </Field>
              ) : (
                <Field key={key} label={t(`fields.${key}`)} className="sm:col-span-3 lg:col-span-2">
                  <div className="grid grid-cols-5 gap-1">
                    {[1, 2, 3, 4, 5].map((i) => (
                      <Input
                        key={i}
                        type="number"
                        title={`${i}★`}
                        value={value[i] ?? ""}
                        onChange={(e) => set(key, { ...value, [i]: Number(e.target.value) })}
                        aria-label={`${key} ${i}★`}
                      />
                    ))}
                  </div>
                </Field>
              ),
            )}
          </div>
          <ErrorNote error={save.error} />
          {saved ? (
            <p className="text-sm text-emerald-700" role="status">
              {t("saved")}
            </p>
          ) : null}
          <div className="flex gap-2">
            <Button variant="primary" disabled={!draft || save.isPending} onClick={() => draft && save.mutate(draft as never)} data-testid="sizing-save">
              {t("save")}
            </Button>
            <Button disabled={!draft} onClick={() => setDraft(null)}>
              {t("reset")}
            </Button>
          </div>
        </div>
      ) : null}
    </Card>
  );
}
