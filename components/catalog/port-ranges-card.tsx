"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { UsageBar } from "@/components/inventory/status";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ErrorNote } from "@/components/ui/error-note";
import { Software } from "@/generated/prisma/enums";
import { useTRPC } from "@/trpc/client";
import { PortRangeDialog } from "./port-range-form";
import { CardTable } from "./table";

/**
 * One port range per software; ports count up globally inside it, so a port tells its software and
 * a master and its replicas share one number. A software without a range yet can be given one here.
 */
export function PortRangesCard({ canWrite }: { canWrite: boolean }) {
  const t = useTranslations("catalog");
  const ti = useTranslations("inventory");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const [editing, setEditing] = useState<Software | null>(null);
  const ranges = useQuery(trpc.catalog.portRanges.queryOptions());
  const bySoftware = new Map(ranges.data?.map((r) => [r.software, r]));

  return (
    <Card title={t("portRanges")}>
      <div className="mb-3 empty:hidden">
        <ErrorNote error={ranges.error} />
      </div>
      <CardTable head={[t("software"), t("startPort"), t("endPort"), t("nextPort"), t("handedOut"), ...(canWrite ? [tc("actions")] : [])]}>
        {Object.values(Software).map((software) => {
          const r = bySoftware.get(software);
          return (
            <tr key={software} data-testid={`port-range-${software}`}>
              <td className="py-1.5 pr-3">{ti(`software.${software}`)}</td>
              <td className="pr-3 font-mono">{r?.startPort ?? "—"}</td>
              <td className="pr-3 font-mono">{r?.endPort ?? "—"}</td>
              <td className="pr-3 font-mono">{r?.nextPort ?? "—"}</td>
              <td className="pr-3">
                {r ? (
                  <UsageBar used={r.nextPort - r.startPort} total={r.endPort - r.startPort + 1} format={String} />
                ) : (
                  <span className="text-xs text-slate-500">{t("noRange")}</span>
                )}
              </td>
              {canWrite ? (
                <td>
                  <Button variant="ghost" className="px-1.5 py-0.5 text-xs" onClick={() => setEditing(software)} data-testid={`port-range-edit-${software}`}>
                    {tc("edit")}
                  </Button>
                </td>
              ) : null}
            </tr>
          );
        })}
      </CardTable>
      {editing ? <PortRangeDialog software={editing} range={bySoftware.get(editing)} onClose={() => setEditing(null)} /> : null}
    </Card>
  );
}
