"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ErrorNote } from "@/components/ui/error-note";
import { Input } from "@/components/ui/field";
import { fieldErrors } from "@/components/ui/field-errors";
import { useTRPC } from "@/trpc/client";
import type { IdcRow } from "./types";

/** One IDC with its racks; writers add a rack inline and remove empty ones (the server refuses the others, with its reason shown here). */
export function IdcCard({ idc, canWrite, onEdit }: { idc: IdcRow; canWrite: boolean; onEdit: () => void }) {
  const t = useTranslations("topology");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [rackCode, setRackCode] = useState("");
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.topology.idcs.queryKey() });
  const addRack = useMutation(
    trpc.topology.createRack.mutationOptions({
      onSuccess: () => {
        setRackCode("");
        void refresh();
      },
    }),
  );
  const removeRack = useMutation(trpc.topology.deleteRack.mutationOptions({ onSuccess: refresh }));
  const rackError = fieldErrors(addRack.error).err("code") ?? addRack.error?.message;

  return (
    <Card
      title={
        <span className="flex items-center gap-2">
          <span className="font-mono">{idc.code}</span> · {idc.name} <Badge tone="blue">{idc.region}</Badge>
        </span>
      }
      actions={
        <>
          <span className="text-xs text-slate-500">{t("hostCount", { count: idc.hostCount })}</span>
          {canWrite ? (
            <Button variant="ghost" onClick={onEdit} data-testid={`idc-edit-${idc.code}`}>
              {tc("edit")}
            </Button>
          ) : null}
        </>
      }
    >
      <div className="space-y-3" data-testid={`idc-${idc.code}`}>
        {idc.racks.length === 0 ? <p className="text-sm text-slate-500">{t("noRacks")}</p> : null}
        <ul className="flex flex-wrap gap-2">
          {idc.racks.map((r) => (
            <li key={r.id} className="flex items-center rounded-md ring-1 ring-slate-200" data-testid={`rack-${idc.code}-${r.code}`}>
              <Link
                href={`/inventory/hosts?idcId=${idc.id}&rackId=${r.id}`}
                className="px-2 py-1 text-sm hover:bg-slate-50"
                title={t("showHosts", { rack: `${idc.code}/${r.code}` })}
              >
                <span className="font-mono text-indigo-700">{r.code}</span>{" "}
                <span className="text-xs text-slate-500 tabular-nums">{t("hostCount", { count: r.hostCount })}</span>
              </Link>
              {canWrite ? (
                <button
                  type="button"
                  className="border-l border-slate-200 px-1.5 py-1 text-slate-400 hover:text-rose-600 disabled:opacity-50"
                  aria-label={t("removeRack", { rack: `${idc.code}/${r.code}` })}
                  data-testid={`rack-remove-${idc.code}-${r.code}`}
                  disabled={removeRack.isPending}
                  onClick={() => window.confirm(tc("confirmDelete", { what: `${idc.code}/${r.code}` })) && removeRack.mutate({ id: r.id })}
                >
                  ✕
                </button>
              ) : null}
            </li>
          ))}
        </ul>
        <ErrorNote error={removeRack.error} />
        {canWrite ? (
          <form
            className="flex items-start gap-2"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              addRack.mutate({ idcId: idc.id, code: rackCode });
            }}
          >
            <div className="flex-1 space-y-1">
              <Input
                value={rackCode}
                onChange={(e) => setRackCode(e.target.value)}
                placeholder={t("rackCode")}
                aria-label={t("rackCode")}
                className="font-mono"
                invalid={!!rackError}
                data-testid={`rack-code-${idc.code}`}
              />
              {rackError ? (
                <span className="block text-xs text-rose-600" role="alert">
                  {rackError}
                </span>
              ) : null}
            </div>
            <Button type="submit" disabled={addRack.isPending || rackCode.trim() === ""} data-testid={`rack-add-${idc.code}`}>
              + {t("addRack")}
            </Button>
          </form>
        ) : null}
      </div>
    </Card>
  );
}
