"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ErrorNote } from "@/components/ui/error-note";
import { Field, Select } from "@/components/ui/field";
import type { ServiceDetail } from "@/components/services/types";
import { useTRPC } from "@/trpc/client";

const UPGRADABLE = ["REDIS", "MEMCACHED", "TWEMPROXY"] as const;
type Upgradable = (typeof UPGRADABLE)[number];

/** A rolling upgrade of one software of the service to a catalogued version; its steps show in the Operations card below. */
export function UpgradeCard({ service }: { service: ServiceDetail }) {
  const t = useTranslations("dayTwoUi.upgrade");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const versions = useQuery(trpc.catalog.versions.queryOptions());
  const softwares = UPGRADABLE.filter((s) => service.instances.some((i) => i.software === s));
  const [software, setSoftware] = useState<Upgradable>(softwares[0] ?? "REDIS");
  const [version, setVersion] = useState("");
  const upgrade = useMutation(trpc.dayTwo.upgrade.mutationOptions({ onSuccess: () => qc.invalidateQueries({ queryKey: trpc.operations.jobs.pathKey() }) }));
  if (softwares.length === 0) return null;
  const running = [...new Set(service.instances.filter((i) => i.software === software).map((i) => i.version))];
  const choices = (versions.data ?? []).filter((v) => v.software === software);
  return (
    <Card title={t("title")} className="mt-4">
      <p className="mb-3 text-xs text-slate-500">{t("subtitle")}</p>
      <div className="mb-3 empty:hidden">
        <ErrorNote error={upgrade.error ?? versions.error} />
      </div>
      <div className="flex flex-wrap items-end gap-3">
        <Field label={t("software")} className="w-40">
          <Select
            value={software}
            onChange={(e) => {
              setSoftware(e.target.value as Upgradable);
              setVersion("");
            }}
            data-testid="upgrade-software"
          >
            {softwares.map((s) => (
              <option key={s} value={s}>
                {s.toLowerCase()}
              </option>
            ))}
          </Select>
        </Field>
        <div className="text-sm text-slate-600">
          {t("runs")} <span className="font-mono">{running.join(", ")}</span>
        </div>
        <Field label={t("to")} className="w-48">
          <Select value={version} onChange={(e) => setVersion(e.target.value)} data-testid="upgrade-version">
            <option value="">{t("choose")}</option>
            {choices.map((v) => (
              <option key={v.id} value={v.version} disabled={running.length === 1 && running[0] === v.version}>
                {v.version}
              </option>
            ))}
          </Select>
        </Field>
        <Button
          variant="primary"
          disabled={!version || upgrade.isPending}
          onClick={() => {
            if (window.confirm(t("confirm", { software: software.toLowerCase(), from: running.join(", "), to: version })))
              upgrade.mutate({ serviceId: service.id, software, toVersion: version });
          }}
          data-testid="upgrade-start"
        >
          {t("start")}
        </Button>
      </div>
      <p className="mt-2 text-xs text-slate-500">{t("rollbackHint")}</p>
    </Card>
  );
}
