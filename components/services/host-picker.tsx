"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useDeferredValue, useState } from "react";
import { HostStatusBadge } from "@/components/inventory/status";
import { Field, Input } from "@/components/ui/field";
import { useTRPC } from "@/trpc/client";
import type { HostMatch } from "./types";

/** Names a host by typing the start of its IP and picking one of the matches (the fleet has thousands). */
export function HostPicker({ value, onChange, error }: { value: HostMatch | null; onChange: (h: HostMatch | null) => void; error?: string }) {
  const t = useTranslations("services");
  const th = useTranslations("hosts");
  const trpc = useTRPC();
  const [text, setText] = useState(value?.ip ?? "");
  const prefix = useDeferredValue(text.trim());
  const searching = prefix !== "" && prefix !== value?.ip;
  const matches = useQuery({ ...trpc.hosts.lookup.queryOptions({ prefix, limit: 12 }), enabled: searching });

  return (
    <div className="space-y-1">
      <Field label={t("host")} error={error ?? matches.error?.message} hint={value ? `${value.hostname} · ${value.idc}/${value.rack}` : t("hostHint")}>
        <Input
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            onChange(null);
          }}
          placeholder="127.0.1."
          className="font-mono"
          invalid={!!error}
          data-testid="instance-host-search"
        />
      </Field>
      {searching && matches.data ? (
        <ul className="max-h-48 overflow-y-auto rounded-md ring-1 ring-slate-200" role="listbox">
          {matches.data.length === 0 ? <li className="px-2 py-1.5 text-xs text-slate-500">{t("noHostMatch")}</li> : null}
          {matches.data.map((h) => (
            <li key={h.id}>
              <button
                type="button"
                className="flex w-full items-center justify-between gap-2 px-2 py-1 text-left text-sm hover:bg-indigo-50"
                onClick={() => {
                  setText(h.ip);
                  onChange(h);
                }}
                data-testid={`host-option-${h.ip}`}
              >
                <span className="font-mono">{h.ip}</span>
                <span className="truncate text-xs text-slate-500">
                  {h.hostname} · {h.idc}/{h.rack}
                </span>
                <HostStatusBadge status={h.status} label={th(`statuses.${h.status}`)} />
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
