"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { gb } from "@/components/inventory/status";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ErrorNote } from "@/components/ui/error-note";
import { useTRPC } from "@/trpc/client";
import { SpecFormDialog } from "./spec-form";
import { CardTable } from "./table";
import type { Spec } from "./types";

/** Named resource flavours per software: what a request or a placement asks the scheduler for. */
export function SpecsCard({ canWrite, className }: { canWrite: boolean; className?: string }) {
  const t = useTranslations("catalog");
  const ti = useTranslations("inventory");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [editing, setEditing] = useState<Spec | "new" | null>(null);
  const specs = useQuery(trpc.catalog.specs.queryOptions());
  const remove = useMutation(trpc.catalog.deleteSpec.mutationOptions({ onSuccess: () => qc.invalidateQueries({ queryKey: trpc.catalog.pathKey() }) }));

  return (
    <Card
      className={className}
      title={t("specs")}
      actions={
        canWrite ? (
          <Button onClick={() => setEditing("new")} data-testid="spec-create">
            + {t("addSpec")}
          </Button>
        ) : null
      }
    >
      <div className="mb-3 empty:hidden">
        <ErrorNote error={specs.error ?? remove.error} />
      </div>
      <CardTable head={[t("software"), t("specName"), t("cpu"), t("memory"), t("disk"), t("bandwidth"), ...(canWrite ? [tc("actions")] : [])]}>
        {specs.data?.map((s) => (
          <tr key={s.id} data-testid={`spec-${s.software}-${s.name}`}>
            <td className="py-1.5 pr-3">{ti(`software.${s.software}`)}</td>
            <td className="pr-3 font-mono">{s.name}</td>
            <td className="pr-3 tabular-nums">{s.cpuCores}</td>
            <td className="pr-3 tabular-nums">{gb(s.memoryMb)}</td>
            <td className="pr-3 tabular-nums">{s.diskGb} GB</td>
            <td className="pr-3 tabular-nums">{s.bandwidthMbps} Mbps</td>
            {canWrite ? (
              <td className="whitespace-nowrap">
                <Button variant="ghost" className="px-1.5 py-0.5 text-xs" onClick={() => setEditing(s)} data-testid={`spec-edit-${s.software}-${s.name}`}>
                  {tc("edit")}
                </Button>
                <Button
                  variant="ghost"
                  className="px-1.5 py-0.5 text-xs text-rose-700"
                  disabled={remove.isPending}
                  onClick={() => window.confirm(tc("confirmDelete", { what: `${s.software}/${s.name}` })) && remove.mutate({ id: s.id })}
                  data-testid={`spec-remove-${s.software}-${s.name}`}
                >
                  {tc("delete")}
                </Button>
              </td>
            ) : null}
          </tr>
        ))}
      </CardTable>
      {editing ? <SpecFormDialog spec={editing === "new" ? undefined : editing} onClose={() => setEditing(null)} /> : null}
    </Card>
  );
}
