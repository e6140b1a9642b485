"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ErrorNote } from "@/components/ui/error-note";
import { Field, Input } from "@/components/ui/field";
import { useTRPC } from "@/trpc/client";

type Draft = { baselineDays: string; minBaselineDays: string; headroom: string };

/** The three promotion settings; the server says what is wrong with a value. */
export function PromotionSettingsForm() {
  const t = useTranslations("promotions.settings");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const current = useQuery(trpc.promotions.settings.queryOptions());
  const [d, setD] = useState<Draft | null>(null);
  const save = useMutation(
    trpc.promotions.saveSettings.mutationOptions({
      onSuccess: () => {
        setD(null);
        void qc.invalidateQueries({ queryKey: trpc.promotions.pathKey() });
      },
    }),
  );
  const s = current.data;
  if (!s) return null;
  const shown: Draft = d ?? { baselineDays: String(s.baselineDays), minBaselineDays: String(s.minBaselineDays), headroom: String(s.headroom) };
  const set = (k: keyof Draft) => (e: React.ChangeEvent<HTMLInputElement>) => setD({ ...shown, [k]: e.target.value });
  return (
    <Card title={t("title")}>
      <form
        className="flex flex-wrap items-end gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ baselineDays: Number(shown.baselineDays), minBaselineDays: Number(shown.minBaselineDays), headroom: Number(shown.headroom) });
        }}
      >
        <Field label={t("baselineDays")} className="w-36">
          <Input type="number" value={shown.baselineDays} onChange={set("baselineDays")} data-testid="promotion-settings-days" />
        </Field>
        <Field label={t("minBaselineDays")} className="w-44">
          <Input type="number" value={shown.minBaselineDays} onChange={set("minBaselineDays")} />
        </Field>
        <Field label={t("headroom")} className="w-52">
          <Input type="number" step="0.05" value={shown.headroom} onChange={set("headroom")} data-testid="promotion-settings-headroom" />
        </Field>
        <Button variant="primary" type="submit" disabled={!d || save.isPending}>
          {tc("save")}
        </Button>
        {save.isSuccess && !d ? <span className="pb-1.5 text-sm text-emerald-700">{tc("saved")}</span> : null}
      </form>
      <div className="mt-2">
        <ErrorNote error={save.error} />
      </div>
    </Card>
  );
}
