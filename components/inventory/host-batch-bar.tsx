"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorNote } from "@/components/ui/error-note";
import { Input, Select } from "@/components/ui/field";
import { useTRPC } from "@/trpc/client";
import type { HostFilter } from "@/server/domain/inventory/schemas";

type Action = "LOCKED" | "MAINTENANCE" | "ONLINE" | "OFFLINE" | "setLabel" | "removeLabel";

/** Applies one change to the checked rows, or to every host the filter matches (all pages). */
export function HostBatchBar(props: { selectedIds: number[]; matching: number; filter: HostFilter; onDone: () => void; onCreate: () => void }) {
  const t = useTranslations("hosts");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [action, setAction] = useState<Action>("LOCKED");
  const [key, setKey] = useState("");
  const [value, setValue] = useState("");
  const [result, setResult] = useState<string | null>(null);
  const batch = useMutation(
    trpc.hosts.batch.mutationOptions({
      onSuccess: (r) => {
        setResult(t("batchDone", { changed: r.changed, matched: r.matched }));
        props.onDone();
        void qc.invalidateQueries({ queryKey: trpc.hosts.pathKey() });
      },
    }),
  );
  const change = action === "setLabel" ? { action, key, value } : action === "removeLabel" ? { action, key } : { action: "setStatus" as const, status: action };
  const apply = (target: { ids: number[] } | { filter: HostFilter }, count: number) => {
    setResult(null);
    if (window.confirm(t("batchConfirm", { count }))) batch.mutate({ target, change });
  };
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-2 rounded-lg bg-white px-3 py-2 shadow-sm ring-1 ring-slate-200">
        <span className="text-sm font-medium text-slate-700">{t("batch")}</span>
        <Select className="w-48" value={action} onChange={(e) => setAction(e.target.value as Action)} data-testid="batch-action">
          <option value="LOCKED">{t("actions.lock")}</option>
          <option value="MAINTENANCE">{t("actions.maintenance")}</option>
          <option value="ONLINE">{t("actions.online")}</option>
          <option value="OFFLINE">{t("actions.offline")}</option>
          <option value="setLabel">{t("actions.setLabel")}</option>
          <option value="removeLabel">{t("actions.removeLabel")}</option>
        </Select>
        {action === "setLabel" || action === "removeLabel" ? (
          <Input className="w-36 font-mono" placeholder={t("labelKey")} value={key} onChange={(e) => setKey(e.target.value)} data-testid="batch-key" />
        ) : null}
        {action === "setLabel" ? (
          <Input className="w-36 font-mono" placeholder={t("labelValue")} value={value} onChange={(e) => setValue(e.target.value)} data-testid="batch-value" />
        ) : null}
        <Button disabled={props.selectedIds.length === 0 || batch.isPending} onClick={() => apply({ ids: props.selectedIds }, props.selectedIds.length)}>
          {t("applySelected", { count: props.selectedIds.length })}
        </Button>
        <Button
          variant="primary"
          disabled={props.matching === 0 || batch.isPending}
          onClick={() => apply({ filter: props.filter }, props.matching)}
          data-testid="batch-apply-all"
        >
          {t("applyMatching", { count: props.matching })}
        </Button>
        <div className="ml-auto">
          <Button onClick={props.onCreate} data-testid="host-create">
            + {t("newHost")}
          </Button>
        </div>
      </div>
      <ErrorNote error={batch.error} />
      {result ? (
        <p className="text-sm text-emerald-700" role="status">
          {result}
        </p>
      ) : null}
    </div>
  );
}
