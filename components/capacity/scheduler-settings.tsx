"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ErrorNote } from "@/components/ui/error-note";
import { Field, Input, Select } from "@/components/ui/field";
import { useTRPC } from "@/trpc/client";

const TIERS = ["DEDICATED", "MIXED_DEPARTMENT", "MIXED"] as const;
const WEIGHTS = ["leastAllocated", "mostAllocated", "balanced", "preferredIdc"] as const;
type Tier = (typeof TIERS)[number];

/** The isolation mapping, rack spread and scoring weights; the form starts from what is in force. */
export function SchedulerSettings({ canWrite }: { canWrite: boolean }) {
  const t = useTranslations("capacity.settings");
  const th = useTranslations("hosts");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const current = useQuery(trpc.scheduler.settings.queryOptions());
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState<typeof current.data | null>(null);
  const save = useMutation(
    trpc.scheduler.saveSettings.mutationOptions({
      onSuccess: () => {
        setDraft(null);
        void qc.invalidateQueries({ queryKey: trpc.scheduler.pathKey() });
      },
    }),
  );
  const s = draft ?? current.data;
  if (!s) return null;
  const edit = (next: typeof s) => setDraft(next);
  return (
    <Card
      title={t("title")}
      actions={
        <Button variant="ghost" onClick={() => setOpen(!open)} data-testid="sched-settings-toggle">
          {open ? t("hide") : t("show")}
        </Button>
      }
    >
      {open ? (
        <div className="space-y-4">
          <div className="grid gap-3 sm:grid-cols-5">
            {([5, 4, 3, 2, 1] as const).map((i) => (
              <Field key={i} label={`${"★".repeat(i)} ${t("tierFor")}`}>
                <Select
                  disabled={!canWrite}
                  value={s.tierByImportance[i]}
                  onChange={(e) => edit({ ...s, tierByImportance: { ...s.tierByImportance, [i]: e.target.value as Tier } })}
                >
                  {TIERS.map((x) => (
                    <option key={x} value={x}>
                      {th(`tiers.${x}`)}
                    </option>
                  ))}
                </Select>
              </Field>
            ))}
          </div>
          <div className="grid gap-3 sm:grid-cols-5">
            <Field label={t("rackSpread")} hint={t("rackSpreadHint")}>
              <Select
                disabled={!canWrite}
                value={s.rackSpreadFromImportance}
                onChange={(e) => edit({ ...s, rackSpreadFromImportance: Number(e.target.value) })}
              >
                {[1, 2, 3, 4, 5].map((i) => (
                  <option key={i} value={i}>{`≥ ${"★".repeat(i)}`}</option>
                ))}
                <option value={6}>{t("never")}</option>
              </Select>
            </Field>
            {WEIGHTS.map((w) => (
              <Field key={w} label={t(`weights.${w}`)}>
                <Input
                  disabled={!canWrite}
                  type="number"
                  step="0.05"
                  min={0}
                  value={s.weights[w]}
                  onChange={(e) => edit({ ...s, weights: { ...s.weights, [w]: Number(e.target.value) } })}
                />
              </Field>
            ))}
          </div>
          <ErrorNote error={save.error} />
          {canWrite ? (
            <div className="flex gap-2">
              <Button variant="primary" disabled={!draft || save.isPending} onClick={() => draft && save.mutate(draft)}>
                {t("save")}
              </Button>
              <Button disabled={!draft} onClick={() => setDraft(null)}>
                {t("reset")}
              </Button>
            </div>
          ) : null}
        </div>
      ) : (
        <p className="text-sm text-slate-600">{([5, 4, 3, 2, 1] as const).map((i) => `${i}★ → ${th(`tiers.${s.tierByImportance[i]}`)}`).join(" · ")}</p>
      )}
    </Card>
  );
}
