"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { ErrorNote } from "@/components/ui/error-note";
import { Field, Input } from "@/components/ui/field";
import { fieldErrors } from "@/components/ui/field-errors";
import type { Software } from "@/generated/prisma/enums";
import { useTRPC } from "@/trpc/client";
import type { PortRange } from "./types";

/** Moves or resizes a software's range; the server refuses one that overlaps another software's. */
export function PortRangeDialog({ software, range, onClose }: { software: Software; range?: PortRange; onClose: () => void }) {
  const t = useTranslations("catalog");
  const ti = useTranslations("inventory");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [start, setStart] = useState(range ? String(range.startPort) : "");
  const [end, setEnd] = useState(range ? String(range.endPort) : "");
  const save = useMutation(
    trpc.catalog.updatePortRange.mutationOptions({
      onSuccess: () => {
        void qc.invalidateQueries({ queryKey: trpc.catalog.pathKey() });
        onClose();
      },
    }),
  );
  const { err, any } = fieldErrors(save.error);
  const num = (s: string) => (s.trim() === "" ? Number.NaN : Number(s));

  function submit(e: React.FormEvent) {
    e.preventDefault();
    save.mutate({ software, startPort: num(start), endPort: num(end) });
  }

  return (
    <Dialog open onClose={onClose} title={t("editRange", { software: ti(`software.${software}`) })}>
      <form onSubmit={submit} className="space-y-4" noValidate>
        <div className="grid gap-3 md:grid-cols-2">
          <Field label={t("startPort")} error={err("startPort")}>
            <Input type="number" value={start} onChange={(e) => setStart(e.target.value)} className="font-mono" data-testid="port-range-start" />
          </Field>
          <Field label={t("endPort")} error={err("endPort")}>
            <Input type="number" value={end} onChange={(e) => setEnd(e.target.value)} className="font-mono" data-testid="port-range-end" />
          </Field>
        </div>
        {range ? <p className="text-xs text-slate-500">{t("nextPortHint", { next: range.nextPort })}</p> : null}
        <ErrorNote error={any ? null : save.error} />
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>{tc("cancel")}</Button>
          <Button type="submit" variant="primary" disabled={save.isPending} data-testid="port-range-save">
            {tc("save")}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
