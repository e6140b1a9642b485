"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ErrorNote } from "@/components/ui/error-note";
import { useTRPC } from "@/trpc/client";
import { CardTable } from "./table";
import { VersionFormDialog } from "./version-form";

/** Registered software versions; each lives in its own install path so several run side by side. */
export function VersionsCard({ canWrite }: { canWrite: boolean }) {
  const t = useTranslations("catalog");
  const ti = useTranslations("inventory");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [adding, setAdding] = useState(false);
  const versions = useQuery(trpc.catalog.versions.queryOptions());
  const invalidate = () => qc.invalidateQueries({ queryKey: trpc.catalog.pathKey() });
  const setDefault = useMutation(trpc.catalog.setDefaultVersion.mutationOptions({ onSuccess: invalidate }));
  const remove = useMutation(trpc.catalog.deleteVersion.mutationOptions({ onSuccess: invalidate }));
  // One message at a time: the latest action's.
  const act = (m: "default" | "remove", id: number) => {
    (m === "default" ? remove : setDefault).reset();
    (m === "default" ? setDefault : remove).mutate({ id });
  };

  return (
    <Card
      title={t("versions")}
      actions={
        canWrite ? (
          <Button onClick={() => setAdding(true)} data-testid="version-create">
            + {t("addVersion")}
          </Button>
        ) : null
      }
    >
      <div className="mb-3 space-y-2 empty:hidden">
        <ErrorNote error={versions.error ?? setDefault.error ?? remove.error} />
      </div>
      <CardTable head={[t("software"), t("version"), t("installPath"), t("default"), ...(canWrite ? [tc("actions")] : [])]}>
        {versions.data?.map((v) => (
          <tr key={v.id} data-testid={`version-${v.software}-${v.version}`}>
            <td className="py-1.5 pr-3">{ti(`software.${v.software}`)}</td>
            <td className="pr-3 font-mono">{v.version}</td>
            <td className="pr-3 font-mono text-xs text-slate-600">{v.installPath}</td>
            <td className="pr-3">
              {v.isDefault ? (
                <Badge tone="green">{t("default")}</Badge>
              ) : canWrite ? (
                <Button
                  variant="ghost"
                  className="px-1.5 py-0.5 text-xs"
                  disabled={setDefault.isPending}
                  onClick={() => act("default", v.id)}
                  data-testid={`version-default-${v.software}-${v.version}`}
                >
                  {t("makeDefault")}
                </Button>
              ) : null}
            </td>
            {canWrite ? (
              <td>
                <Button
                  variant="ghost"
                  className="px-1.5 py-0.5 text-xs text-rose-700"
                  disabled={remove.isPending}
                  onClick={() => window.confirm(tc("confirmDelete", { what: `${v.software} ${v.version}` })) && act("remove", v.id)}
                  data-testid={`version-remove-${v.software}-${v.version}`}
                >
                  {tc("delete")}
                </Button>
              </td>
            ) : null}
          </tr>
        ))}
      </CardTable>
      {adding ? <VersionFormDialog onClose={() => setAdding(false)} /> : null}
    </Card>
  );
}
