"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { gb } from "@/components/inventory/status";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { ErrorNote } from "@/components/ui/error-note";
import { Field, Input, Select } from "@/components/ui/field";
import { fieldErrors } from "@/components/ui/field-errors";
import { Software } from "@/generated/prisma/enums";
import { useTRPC } from "@/trpc/client";
import type { Spec } from "./types";

const NUMBERS = ["cpuCores", "memoryMb", "diskGb", "bandwidthMbps"] as const;
type Form = { software: Software; name: string } & Record<(typeof NUMBERS)[number], string>;

const fromSpec = (s?: Spec): Form => ({
  software: s?.software ?? "REDIS",
  name: s?.name ?? "",
  cpuCores: s ? String(s.cpuCores) : "1",
  memoryMb: s ? String(s.memoryMb) : "4096",
  diskGb: s ? String(s.diskGb) : "20",
  bandwidthMbps: s ? String(s.bandwidthMbps) : "100",
});

export function SpecFormDialog({ spec, onClose }: { spec?: Spec; onClose: () => void }) {
  const t = useTranslations("catalog");
  const ti = useTranslations("inventory");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [f, setF] = useState<Form>(() => fromSpec(spec));
  const save = useMutation(
    trpc.catalog.saveSpec.mutationOptions({
      onSuccess: () => {
        void qc.invalidateQueries({ queryKey: trpc.catalog.pathKey() });
        onClose();
      },
    }),
  );
  const { err, any } = fieldErrors(save.error);
  const set = (k: keyof Form) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => setF({ ...f, [k]: e.target.value });
  // Blank stays NaN so the server names the field, as every other form does.
  const num = (s: string) => (s.trim() === "" ? Number.NaN : Number(s));
  const label = { cpuCores: t("cpu"), memoryMb: t("memoryMb"), diskGb: t("diskGb"), bandwidthMbps: t("bandwidthMbps") };

  function submit(e: React.FormEvent) {
    e.preventDefault();
    save.mutate({
      id: spec?.id,
      software: f.software,
      name: f.name.trim(),
      cpuCores: num(f.cpuCores),
      memoryMb: num(f.memoryMb),
      diskGb: num(f.diskGb),
      bandwidthMbps: num(f.bandwidthMbps),
    });
  }

  return (
    <Dialog open onClose={onClose} title={spec ? t("editSpec", { name: `${spec.software}/${spec.name}` }) : t("addSpec")}>
      <form onSubmit={submit} className="space-y-4" noValidate>
        <div className="grid gap-3 md:grid-cols-2">
          <Field label={t("software")} error={err("software")}>
            <Select value={f.software} onChange={set("software")} data-testid="spec-software">
              {Object.values(Software).map((s) => (
                <option key={s} value={s}>
                  {ti(`software.${s}`)}
                </option>
              ))}
            </Select>
          </Field>
          <Field label={t("specName")} error={err("name")}>
            <Input value={f.name} onChange={set("name")} placeholder="medium" className="font-mono" data-testid="spec-name" />
          </Field>
          {NUMBERS.map((k) => (
            <Field key={k} label={label[k]} error={err(k)} hint={k === "memoryMb" && f.memoryMb ? gb(Number(f.memoryMb)) : undefined}>
              <Input type="number" step={k === "cpuCores" ? "0.5" : "1"} value={f[k]} onChange={set(k)} data-testid={`spec-${k}`} />
            </Field>
          ))}
        </div>
        <ErrorNote error={any ? null : save.error} />
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>{tc("cancel")}</Button>
          <Button type="submit" variant="primary" disabled={save.isPending} data-testid="spec-save">
            {spec ? tc("save") : tc("create")}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
