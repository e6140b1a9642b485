"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { ErrorNote } from "@/components/ui/error-note";
import { Field, Input, Select, Textarea } from "@/components/ui/field";
import { fieldErrors } from "@/components/ui/field-errors";
import { ServiceKind, ServiceStatus } from "@/generated/prisma/enums";
import { useTRPC } from "@/trpc/client";
import type { ServiceDetail } from "./types";

type Form = { name: string; productLineId: string; kind: ServiceKind; status: ServiceStatus; description: string; entryHost: string; entryPort: string };

const fromService = (s?: ServiceDetail): Form => ({
  name: s?.name ?? "",
  productLineId: s ? String(s.productLineId) : "",
  kind: s?.kind ?? "REDIS_STANDALONE",
  status: s?.status ?? "ONLINE",
  description: s?.description ?? "",
  entryHost: s?.entryHost ?? "",
  entryPort: s?.entryPort ? String(s.entryPort) : "",
});

/**
 * Catalogues an existing cluster (adoption: its instances are added on its page afterwards), or
 * edits one. Product line and kind are fixed once the service exists.
 */
export function ServiceFormDialog({ service, onClose }: { service?: ServiceDetail; onClose: () => void }) {
  const t = useTranslations("services");
  const ti = useTranslations("inventory");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  const [f, setF] = useState<Form>(() => fromService(service));
  const productLines = useQuery({ ...trpc.productLines.list.queryOptions({}), enabled: !service });
  const invalidate = () => qc.invalidateQueries({ queryKey: trpc.services.pathKey() });
  const create = useMutation(
    trpc.services.create.mutationOptions({
      onSuccess: (s) => {
        void invalidate();
        router.push(`/inventory/services/${s.id}`);
      },
    }),
  );
  const update = useMutation(
    trpc.services.update.mutationOptions({
      onSuccess: () => {
        void invalidate();
        onClose();
      },
    }),
  );
  const m = service ? update : create;
  const { err, any } = fieldErrors(m.error);
  const set = (k: keyof Form) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>) => setF({ ...f, [k]: e.target.value });

  function submit(e: React.FormEvent) {
    e.preventDefault();
    const common = {
      name: f.name.trim(),
      description: f.description,
      entryHost: f.entryHost.trim() || null,
      entryPort: f.entryPort.trim() ? Number(f.entryPort) : null,
    };
    if (service) update.mutate({ id: service.id, ...common, status: f.status });
    else create.mutate({ ...common, productLineId: Number(f.productLineId) || 0, kind: f.kind });
  }

  return (
    <Dialog open onClose={onClose} title={service ? t("editService", { name: service.name }) : t("newService")} wide>
      <form onSubmit={submit} className="space-y-4" noValidate>
        {service ? null : <p className="text-sm text-slate-600">{t("adoptHint")}</p>}
        <div className="grid gap-3 md:grid-cols-2">
          <Field label={t("name")} error={err("name")} hint={t("nameHint")}>
            <Input value={f.name} onChange={set("name")} className="font-mono" placeholder="trade-cart-redis-01" data-testid="service-name" />
          </Field>
          {service ? (
            <Field label={t("status")} error={err("status")}>
              <Select value={f.status} onChange={set("status")} data-testid="service-status">
                {Object.values(ServiceStatus).map((s) => (
                  <option key={s} value={s}>
                    {ti(`serviceStatuses.${s}`)}
                  </option>
                ))}
              </Select>
            </Field>
          ) : (
            <>
              <Field label={t("productLine")} error={err("productLineId") && t("pickProductLine")}>
                <Select value={f.productLineId} onChange={set("productLineId")} data-testid="service-product-line">
                  <option value="">—</option>
                  {productLines.data?.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.code} · {p.name} {"★".repeat(p.importance)}
                    </option>
                  ))}
                </Select>
              </Field>
              <Field label={t("kind")} error={err("kind")}>
                <Select value={f.kind} onChange={set("kind")} data-testid="service-kind">
                  {Object.values(ServiceKind).map((k) => (
                    <option key={k} value={k}>
                      {ti(`kinds.${k}`)}
                    </option>
                  ))}
                </Select>
              </Field>
            </>
          )}
          <Field label={t("entryHost")} error={err("entryHost")} hint={t("entryHint")}>
            <Input value={f.entryHost} onChange={set("entryHost")} className="font-mono" placeholder="10.1.2.3" data-testid="service-entry-host" />
          </Field>
          <Field label={t("entryPort")} error={err("entryPort")}>
            <Input type="number" value={f.entryPort} onChange={set("entryPort")} placeholder="22121" data-testid="service-entry-port" />
          </Field>
        </div>
        <Field label={t("description")} error={err("description")}>
          <Textarea rows={3} value={f.description} onChange={set("description")} className="font-sans" data-testid="service-description" />
        </Field>
        <ErrorNote error={any ? null : m.error} />
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>{tc("cancel")}</Button>
          <Button type="submit" variant="primary" disabled={m.isPending} data-testid="service-save">
            {service ? tc("save") : tc("create")}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
