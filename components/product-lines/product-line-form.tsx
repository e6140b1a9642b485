"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { ErrorNote } from "@/components/ui/error-note";
import { Field, Input, Select, Textarea } from "@/components/ui/field";
import { fieldErrors } from "@/components/ui/field-errors";
import { useTRPC } from "@/trpc/client";
import type { ProductLineRow } from "./types";

export const IMPORTANCE = [5, 4, 3, 2, 1] as const;

/** Create or edit a product line; the server checks the code's shape and uniqueness and the department. */
export function ProductLineFormDialog({ line, onClose }: { line?: ProductLineRow; onClose: () => void }) {
  const t = useTranslations("productLines");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const departments = useQuery(trpc.productLines.departments.queryOptions());
  const [f, setF] = useState({
    code: line?.code ?? "",
    name: line?.name ?? "",
    departmentId: line ? String(line.department.id) : "",
    importance: String(line?.importance ?? 3),
    description: line?.description ?? "",
  });
  const done = () => {
    void qc.invalidateQueries({ queryKey: trpc.productLines.pathKey() });
    onClose();
  };
  const create = useMutation(trpc.productLines.create.mutationOptions({ onSuccess: done }));
  const update = useMutation(trpc.productLines.update.mutationOptions({ onSuccess: done }));
  const m = line ? update : create;
  const fe = fieldErrors(m.error);
  const set = (k: keyof typeof f) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>) => setF({ ...f, [k]: e.target.value });

  function submit(e: React.FormEvent) {
    e.preventDefault();
    const body = { code: f.code, name: f.name, departmentId: Number(f.departmentId) || 0, importance: Number(f.importance), description: f.description };
    if (line) update.mutate({ id: line.id, ...body });
    else create.mutate(body);
  }

  return (
    <Dialog open onClose={onClose} title={line ? t("editProductLine", { code: line.code }) : t("newProductLine")}>
      <form onSubmit={submit} className="space-y-3" noValidate data-testid="pl-form">
        <div className="grid gap-3 md:grid-cols-2">
          <Field label={t("code")} hint={t("codeHint")} error={fe.err("code")}>
            <Input value={f.code} onChange={set("code")} className="font-mono" name="code" placeholder="trade-cart" />
          </Field>
          <Field label={t("name")} error={fe.err("name")}>
            <Input value={f.name} onChange={set("name")} name="name" />
          </Field>
          <Field label={t("department")} error={fe.err("departmentId")}>
            <Select value={f.departmentId} onChange={set("departmentId")} name="departmentId">
              <option value="">—</option>
              {departments.data?.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </Select>
          </Field>
          <Field label={t("importance")} error={fe.err("importance")}>
            <Select value={f.importance} onChange={set("importance")} name="importance">
              {IMPORTANCE.map((n) => (
                <option key={n} value={n}>
                  {"★".repeat(n)} · {t("stars", { n })}
                </option>
              ))}
            </Select>
          </Field>
        </div>
        <p className="text-xs text-slate-500">{t("importanceHint")}</p>
        <Field label={t("description")} error={fe.err("description")}>
          <Textarea value={f.description} onChange={set("description")} rows={3} className="font-sans" name="description" />
        </Field>
        <ErrorNote error={fe.any ? null : m.error} />
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>{tc("cancel")}</Button>
          <Button type="submit" variant="primary" disabled={m.isPending} data-testid="pl-save">
            {line ? tc("save") : tc("create")}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
