"use client";

import { useState } from "react";
import { Input } from "./field";

export type CheckOption = { value: number; label: string; hint?: string };

/** A multi-select as a filterable list of checkboxes; lists here are tens to hundreds long, so no virtualisation. */
export function CheckList({
  options,
  value,
  onChange,
  filterPlaceholder,
  testId,
}: {
  options: CheckOption[];
  value: number[];
  onChange: (v: number[]) => void;
  filterPlaceholder: string;
  testId?: string;
}) {
  const [filter, setFilter] = useState("");
  const chosen = new Set(value);
  const q = filter.trim().toLowerCase();
  const shown = q ? options.filter((o) => `${o.label} ${o.hint ?? ""}`.toLowerCase().includes(q)) : options;
  const toggle = (v: number) => onChange(chosen.has(v) ? value.filter((x) => x !== v) : [...value, v]);
  return (
    <div className="space-y-1.5" data-testid={testId}>
      <Input value={filter} onChange={(e) => setFilter(e.target.value)} placeholder={filterPlaceholder} aria-label={filterPlaceholder} />
      <ul className="max-h-56 overflow-y-auto rounded-md p-1 ring-1 ring-slate-200">
        {shown.map((o) => (
          <li key={o.value}>
            <label className="flex cursor-pointer items-center gap-2 rounded px-2 py-1 text-sm hover:bg-slate-50">
              <input type="checkbox" checked={chosen.has(o.value)} onChange={() => toggle(o.value)} value={o.value} />
              <span>{o.label}</span>
              {o.hint ? <span className="text-xs text-slate-500">{o.hint}</span> : null}
            </label>
          </li>
        ))}
      </ul>
    </div>
  );
}
