"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { ErrorNote } from "@/components/ui/error-note";
import { Field, Input } from "@/components/ui/field";
import { fieldErrors } from "@/components/ui/field-errors";
import { useTRPC } from "@/trpc/client";
import type { IdcRow } from "./types";

/** Create an IDC, or rename / move one to another region (its code is fixed: hosts and labels refer to it). */
export function IdcFormDialog({ idc, onClose }: { idc?: IdcRow; onClose: () => void }) {
  const t = useTranslations("topology");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [f, setF] = useState({ code: idc?.code ?? "", name: idc?.name ?? "", region: idc?.region ?? "" });
  const done = () => {
    void qc.invalidateQueries({ queryKey: trpc.topology.idcs.queryKey() });
    onClose();
  };
  const create = useMutation(trpc.topology.createIdc.mutationOptions({ onSuccess: done }));
  const update = useMutation(trpc.topology.updateIdc.mutationOptions({ onSuccess: done }));
  const m = idc ? update : create;
  const fe = fieldErrors(m.error);
  const set = (k: keyof typeof f) => (e: React.ChangeEvent<HTMLInputElement>) => setF({ ...f, [k]: e.target.value });

  function submit(e: React.FormEvent) {
    e.preventDefault();
    if (idc) update.mutate({ id: idc.id, name: f.name, region: f.region });
    else create.mutate(f);
  }

  return (
    <Dialog open onClose={onClose} title={idc ? t("editIdc", { code: idc.code }) : t("newIdc")}>
      <form onSubmit={submit} className="space-y-3" noValidate data-testid="idc-form">
        <Field label={t("code")} hint={idc ? undefined : t("codeHint")} error={fe.err("code")}>
          <Input value={f.code} onChange={set("code")} disabled={!!idc} className="font-mono" name="code" placeholder="sh-pd" />
        </Field>
        <Field label={t("name")} error={fe.err("name")}>
          <Input value={f.name} onChange={set("name")} name="name" />
        </Field>
        <Field label={t("region")} error={fe.err("region")}>
          <Input value={f.region} onChange={set("region")} className="font-mono" name="region" placeholder="cn-sh" />
        </Field>
        <ErrorNote error={fe.any ? null : m.error} />
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>{tc("cancel")}</Button>
          <Button type="submit" variant="primary" disabled={m.isPending} data-testid="idc-save">
            {idc ? tc("save") : tc("create")}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
