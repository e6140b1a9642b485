"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { ErrorNote } from "@/components/ui/error-note";
import { Field, Input, Select } from "@/components/ui/field";
import { fieldErrors } from "@/components/ui/field-errors";
import { InstanceState } from "@/generated/prisma/enums";
import { useTRPC } from "@/trpc/client";
import { holdsData } from "./kinds";
import type { ServiceInstance } from "./types";
import { useInstancesChanged } from "./use-instances-changed";

/** Corrects the catalogue's record of one instance: maxmemory, state, version. */
export function InstanceEditDialog({ instance, onClose }: { instance: ServiceInstance; onClose: () => void }) {
  const t = useTranslations("services");
  const ti = useTranslations("inventory");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const instancesChanged = useInstancesChanged();
  const [maxmemory, setMaxmemory] = useState(instance.maxmemoryMb ? String(instance.maxmemoryMb) : "");
  const [state, setState] = useState<InstanceState>(instance.state);
  const [version, setVersion] = useState(instance.version);
  const versions = useQuery(trpc.catalog.versions.queryOptions());
  // The running version stays selectable even when it was never registered in the catalogue (adopted instances).
  const offered = [...new Set([instance.version, ...(versions.data ?? []).filter((v) => v.software === instance.software).map((v) => v.version)])];
  const update = useMutation(
    trpc.services.updateInstance.mutationOptions({
      onSuccess: () => {
        void instancesChanged();
        onClose();
      },
    }),
  );
  const { err, any } = fieldErrors(update.error);
  const address = `${instance.host.ip}:${instance.port}`;

  function submit(e: React.FormEvent) {
    e.preventDefault();
    update.mutate({ id: instance.id, state, version, maxmemoryMb: maxmemory.trim() ? Number(maxmemory) : null });
  }

  return (
    <Dialog open onClose={onClose} title={t("editInstance", { address })}>
      <form onSubmit={submit} className="space-y-4" noValidate>
        <div className="grid gap-3 md:grid-cols-2">
          {holdsData(instance.role) ? (
            <Field label={t("maxmemoryMb")} error={err("maxmemoryMb")}>
              <Input type="number" value={maxmemory} onChange={(e) => setMaxmemory(e.target.value)} data-testid="instance-maxmemory" />
            </Field>
          ) : null}
          <Field label={t("state")} error={err("state")}>
            <Select value={state} onChange={(e) => setState(e.target.value as InstanceState)} data-testid="instance-state">
              {Object.values(InstanceState).map((s) => (
                <option key={s} value={s}>
                  {ti(`states.${s}`)}
                </option>
              ))}
            </Select>
          </Field>
          <Field label={t("version")} error={err("version")}>
            <Select value={version} onChange={(e) => setVersion(e.target.value)} data-testid="instance-version">
              {offered.map((v) => (
                <option key={v} value={v}>
                  {v}
                </option>
              ))}
            </Select>
          </Field>
        </div>
        <p className="text-xs text-slate-500">{t("editInstanceHint")}</p>
        <ErrorNote error={any ? null : update.error} />
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>{tc("cancel")}</Button>
          <Button type="submit" variant="primary" disabled={update.isPending} data-testid="instance-save">
            {tc("save")}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
