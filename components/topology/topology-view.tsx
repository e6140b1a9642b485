"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Stat } from "@/components/ui/card";
import { ErrorNote } from "@/components/ui/error-note";
import { useTRPC } from "@/trpc/client";
import { IdcCard } from "./idc-card";
import { IdcFormDialog } from "./idc-form";
import type { IdcRow } from "./types";

export function TopologyView({ canWrite }: { canWrite: boolean }) {
  const t = useTranslations("topology");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const idcs = useQuery(trpc.topology.idcs.queryOptions());
  // null: closed; "new": creating; otherwise the IDC being edited.
  const [editing, setEditing] = useState<IdcRow | "new" | null>(null);
  const rows = idcs.data ?? [];

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div className="grid grid-cols-3 gap-3">
          <Stat label={t("idcs")} value={rows.length} />
          <Stat label={t("racks")} value={rows.reduce((n, i) => n + i.racks.length, 0)} />
          <Stat label={t("hosts")} value={rows.reduce((n, i) => n + i.hostCount, 0)} />
        </div>
        {canWrite ? (
          <Button variant="primary" onClick={() => setEditing("new")} data-testid="idc-create">
            + {t("newIdc")}
          </Button>
        ) : null}
      </div>
      <ErrorNote error={idcs.error} />
      {idcs.isPending ? <p className="text-slate-500">{tc("loading")}</p> : null}
      {idcs.isSuccess && rows.length === 0 ? <p className="text-slate-500">{t("empty")}</p> : null}
      <div className="grid gap-4 xl:grid-cols-2">
        {rows.map((idc) => (
          <IdcCard key={idc.id} idc={idc} canWrite={canWrite} onEdit={() => setEditing(idc)} />
        ))}
      </div>
      {editing ? <IdcFormDialog idc={editing === "new" ? undefined : editing} onClose={() => setEditing(null)} /> : null}
    </div>
  );
}
