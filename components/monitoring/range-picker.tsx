"use client";

import { clsx } from "clsx";
import { useTranslations } from "next-intl";
import { useState } from "react";

import { PRESETS as RANGES, type Preset } from "@/server/domain/metrics/resolution";

export type { Preset };
export type Range = { preset: Preset } | { from: Date; to: Date };

// the server's named ranges, so a preset added there shows here
const PRESETS = Object.keys(RANGES) as Preset[];
const local = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

/** Short ranges refresh on their own; history does not move. */
export const liveInterval = (r: Range) => ("preset" in r ? (r.preset === "1h" ? 10_000 : r.preset === "1d" ? 60_000 : false) : false);

export function RangePicker({ value, onChange }: { value: Range; onChange: (r: Range) => void }) {
  const t = useTranslations("monitoringViews");
  const [custom, setCustom] = useState(() => ({ from: local(new Date(Date.now() - 3 * 3600_000)), to: local(new Date()) }));
  const [open, setOpen] = useState(!("preset" in value));
  const current = "preset" in value ? value.preset : "custom";
  return (
    <div className="flex flex-wrap items-center gap-2" data-testid="range-picker">
      <div className="inline-flex overflow-hidden rounded-md ring-1 ring-slate-300">
        {[...PRESETS, "custom" as const].map((p) => (
          <button
            key={p}
            type="button"
            className={clsx(
              "px-3 py-1 text-sm",
              current === p || (p === "custom" && open) ? "bg-indigo-600 text-white" : "bg-white text-slate-700 hover:bg-slate-50",
            )}
            onClick={() => (p === "custom" ? setOpen(true) : (setOpen(false), onChange({ preset: p })))}
            data-testid={`range-${p}`}
          >
            {t(`ranges.${p}`)}
          </button>
        ))}
      </div>
      {open ? (
        <form
          className="flex items-center gap-2 text-sm"
          onSubmit={(e) => {
            e.preventDefault();
            onChange({ from: new Date(custom.from), to: new Date(custom.to) });
          }}
        >
          <label>
            {t("from")}{" "}
            <input
              type="datetime-local"
              className="rounded border border-slate-300 px-1.5 py-0.5"
              value={custom.from}
              onChange={(e) => setCustom({ ...custom, from: e.target.value })}
              data-testid="range-from"
            />
          </label>
          <label>
            {t("to")}{" "}
            <input
              type="datetime-local"
              className="rounded border border-slate-300 px-1.5 py-0.5"
              value={custom.to}
              onChange={(e) => setCustom({ ...custom, to: e.target.value })}
              data-testid="range-to"
            />
          </label>
          <button type="submit" className="rounded-md bg-slate-800 px-2.5 py-1 text-white" data-testid="range-apply">
            {t("apply")}
          </button>
        </form>
      ) : null}
    </div>
  );
}
