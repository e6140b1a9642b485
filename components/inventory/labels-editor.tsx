"use client";

import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/field";

/** Edits key/value labels as rows; the server validates keys and values. */
export function LabelsEditor({ value, onChange }: { value: [string, string][]; onChange: (v: [string, string][]) => void }) {
  const t = useTranslations("hosts");
  const set = (i: number, j: 0 | 1, s: string) => onChange(value.map((p, k) => (k === i ? ((j === 0 ? [s, p[1]] : [p[0], s]) as [string, string]) : p)));
  return (
    <div className="space-y-1.5">
      {value.map(([k, v], i) => (
        <div key={i} className="flex gap-2">
          <Input className="font-mono" placeholder={t("labelKey")} value={k} onChange={(e) => set(i, 0, e.target.value)} aria-label={t("labelKey")} />
          <Input className="font-mono" placeholder={t("labelValue")} value={v} onChange={(e) => set(i, 1, e.target.value)} aria-label={t("labelValue")} />
          <Button variant="ghost" onClick={() => onChange(value.filter((_, k) => k !== i))} aria-label={t("removeLabel")}>
            ✕
          </Button>
        </div>
      ))}
      <Button variant="ghost" onClick={() => onChange([...value, ["", ""]])}>
        + {t("addLabel")}
      </Button>
    </div>
  );
}
