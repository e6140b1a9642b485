"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ErrorNote } from "@/components/ui/error-note";
import { Select } from "@/components/ui/field";
import { useTRPC } from "@/trpc/client";

const TONE = { LOCKED: "amber", COMMITTED: "blue", RELEASED: "slate", EXPIRED: "slate" } as const;

/** Locks and allocations, newest first; a DBA releases a stale one here. */
export function AllocationsTable({ canWrite }: { canWrite: boolean }) {
  const t = useTranslations("capacity");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [status, setStatus] = useState<"LOCKED" | "COMMITTED" | "RELEASED" | "EXPIRED" | "">("LOCKED");
  const list = useQuery(trpc.scheduler.allocations.queryOptions({ status: status || undefined, page: 1, pageSize: 50 }));
  const refresh = () => void qc.invalidateQueries({ queryKey: trpc.scheduler.pathKey() });
  const release = useMutation(trpc.scheduler.release.mutationOptions({ onSuccess: refresh }));
  const commit = useMutation(trpc.scheduler.commit.mutationOptions({ onSuccess: refresh }));
  return (
    <Card
      title={t("allocations", { total: list.data?.total ?? 0 })}
      actions={
        <Select className="w-40" value={status} onChange={(e) => setStatus(e.target.value as "LOCKED")}>
          <option value="">{t("allStatuses")}</option>
          {(["LOCKED", "COMMITTED", "RELEASED", "EXPIRED"] as const).map((s) => (
            <option key={s} value={s}>
              {t(`statuses.${s}`)}
            </option>
          ))}
        </Select>
      }
    >
      <ErrorNote error={release.error ?? commit.error} />
      <table className="min-w-full text-sm" data-testid="allocations">
        <thead className="text-left text-xs uppercase text-slate-500">
          <tr>
            <th className="py-1">{t("status")}</th>
            <th>{t("purpose")}</th>
            <th>{t("productLine")}</th>
            <th>{t("instances")}</th>
            <th>{t("holder")}</th>
            <th>{t("expires")}</th>
            <th />
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {list.data?.rows.map((a) => (
            <tr key={a.id}>
              <td className="py-1">
                <Badge tone={TONE[a.status]}>{t(`statuses.${a.status}`)}</Badge>
              </td>
              <td>{a.purpose}</td>
              <td>{a.productLine?.code ?? "—"}</td>
              <td className="tabular-nums">{a._count.items}</td>
              <td>{a.holder?.username ?? "system"}</td>
              <td className="text-xs text-slate-500">{a.status === "LOCKED" ? new Date(a.expiresAt).toLocaleString() : "—"}</td>
              <td className="text-right">
                {canWrite && a.status === "LOCKED" ? (
                  <Button variant="ghost" onClick={() => commit.mutate({ id: a.id })}>
                    {t("commit")}
                  </Button>
                ) : null}
                {canWrite && (a.status === "LOCKED" || a.status === "COMMITTED") ? (
                  <Button variant="ghost" onClick={() => window.confirm(t("confirmRelease")) && release.mutate({ id: a.id })}>
                    {t("release")}
                  </Button>
                ) : null}
              </td>
            </tr>
          ))}
          {list.data?.rows.length === 0 ? (
            <tr>
              <td colSpan={7} className="py-4 text-center text-slate-500">
                {t("noAllocations")}
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </Card>
  );
}
