"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { ErrorNote } from "@/components/ui/error-note";
import { Field, Input, Select } from "@/components/ui/field";
import { fieldErrors } from "@/components/ui/field-errors";
import { Software } from "@/generated/prisma/enums";
import { useTRPC } from "@/trpc/client";

// Sentinel is redis-server in another mode, so it shares Redis's install.
const DIR: Record<Software, string> = { REDIS: "redis", REDIS_SENTINEL: "redis", MEMCACHED: "memcached", TWEMPROXY: "twemproxy" };
/** The standard layout puts each version under its own prefix; suggested until the DBA types another. */
const standardPath = (software: Software, version: string) => `/opt/hedwig/${DIR[software]}/${version}`;

export function VersionFormDialog({ onClose }: { onClose: () => void }) {
  const t = useTranslations("catalog");
  const ti = useTranslations("inventory");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [software, setSoftware] = useState<Software>("REDIS");
  const [version, setVersion] = useState("");
  const [path, setPath] = useState<string | null>(null);
  const [isDefault, setIsDefault] = useState(false);
  const installPath = path ?? standardPath(software, version.trim());
  const create = useMutation(
    trpc.catalog.createVersion.mutationOptions({
      onSuccess: () => {
        void qc.invalidateQueries({ queryKey: trpc.catalog.pathKey() });
        onClose();
      },
    }),
  );
  const { err, any } = fieldErrors(create.error);

  function submit(e: React.FormEvent) {
    e.preventDefault();
    create.mutate({ software, version: version.trim(), installPath: installPath.trim(), isDefault });
  }

  return (
    <Dialog open onClose={onClose} title={t("addVersion")}>
      <form onSubmit={submit} className="space-y-4" noValidate>
        <div className="grid gap-3 md:grid-cols-2">
          <Field label={t("software")} error={err("software")}>
            <Select value={software} onChange={(e) => setSoftware(e.target.value as Software)} data-testid="version-software">
              {Object.values(Software).map((s) => (
                <option key={s} value={s}>
                  {ti(`software.${s}`)}
                </option>
              ))}
            </Select>
          </Field>
          <Field label={t("version")} error={err("version")}>
            <Input value={version} onChange={(e) => setVersion(e.target.value)} placeholder="7.2.5" className="font-mono" data-testid="version-version" />
          </Field>
        </div>
        <Field label={t("installPath")} error={err("installPath")} hint={t("installPathHint")}>
          <Input value={installPath} onChange={(e) => setPath(e.target.value)} className="font-mono" data-testid="version-path" />
        </Field>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={isDefault} onChange={(e) => setIsDefault(e.target.checked)} data-testid="version-default" />
          {t("makeDefaultHint")}
        </label>
        <ErrorNote error={any ? null : create.error} />
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>{tc("cancel")}</Button>
          <Button type="submit" variant="primary" disabled={create.isPending} data-testid="version-save">
            {tc("create")}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
