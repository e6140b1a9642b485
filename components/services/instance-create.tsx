"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { gb } from "@/components/inventory/status";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { ErrorNote } from "@/components/ui/error-note";
import { Field, Input, Select } from "@/components/ui/field";
import { fieldErrors } from "@/components/ui/field-errors";
import { InstanceState, type InstanceRole, type Software } from "@/generated/prisma/enums";
import { useTRPC } from "@/trpc/client";
import { HostPicker } from "./host-picker";
import { holdsData, KIND_SOFTWARE, SOFTWARE_ROLES } from "./kinds";
import type { HostMatch, ServiceDetail } from "./types";
import { useInstancesChanged } from "./use-instances-changed";

type Form = {
  software: Software;
  role: InstanceRole;
  port: string;
  shardIndex: string;
  /** "" = the catalogue's default version for the software */
  version: string;
  maxmemoryMb: string;
  state: InstanceState;
  masterId: string;
  cpuCores: string;
  memoryMb: string;
  diskGb: string;
  bandwidthMbps: string;
};

const RESOURCES = ["cpuCores", "memoryMb", "diskGb", "bandwidthMbps"] as const;
const orZero = (s: string) => (s.trim() === "" ? 0 : Number(s));

/** Catalogues one instance of the service: adoption of a running one, or a DBA's correction. */
export function InstanceCreateDialog({ service, onClose }: { service: ServiceDetail; onClose: () => void }) {
  const t = useTranslations("services");
  const ti = useTranslations("inventory");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const instancesChanged = useInstancesChanged();
  const softwares = KIND_SOFTWARE[service.kind];
  const [host, setHost] = useState<HostMatch | null>(null);
  // A new master or cache node most often starts the next shard.
  const nextShard = Math.max(-1, ...service.instances.map((i) => i.shardIndex ?? -1)) + 1;
  const [f, setF] = useState<Form>(() => ({
    software: softwares[0]!,
    role: SOFTWARE_ROLES[softwares[0]!][0]!,
    port: "",
    shardIndex: String(nextShard),
    version: "",
    maxmemoryMb: "",
    state: "RUNNING",
    masterId: "",
    cpuCores: "",
    memoryMb: "",
    diskGb: "",
    bandwidthMbps: "",
  }));
  const versions = useQuery(trpc.catalog.versions.queryOptions());
  const specs = useQuery(trpc.catalog.specs.queryOptions());
  const ranges = useQuery(trpc.catalog.portRanges.queryOptions());
  const create = useMutation(
    trpc.services.createInstance.mutationOptions({
      onSuccess: () => {
        void instancesChanged();
        onClose();
      },
    }),
  );
  const { err, any } = fieldErrors(create.error);

  const ownVersions = (versions.data ?? []).filter((v) => v.software === f.software);
  const version = f.version || (ownVersions.find((v) => v.isDefault) ?? ownVersions[0])?.version || "";
  const range = ranges.data?.find((r) => r.software === f.software);
  const masters = service.instances.filter((i) => i.role === "MASTER");
  const data = holdsData(f.role);
  const set = (k: keyof Form) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => setF({ ...f, [k]: e.target.value });

  const pickSoftware = (software: Software) => setF({ ...f, software, role: SOFTWARE_ROLES[software][0]!, version: "", masterId: "" });
  // A replica shares its master's port, shard, version and maxmemory; take them as the starting point.
  const pickMaster = (id: string) => {
    const m = masters.find((i) => String(i.id) === id);
    setF(
      m
        ? {
            ...f,
            masterId: id,
            port: String(m.port),
            shardIndex: m.shardIndex === null ? "" : String(m.shardIndex),
            version: m.version,
            maxmemoryMb: m.maxmemoryMb ? String(m.maxmemoryMb) : "",
          }
        : { ...f, masterId: "" },
    );
  };
  const pickSpec = (id: string) => {
    const s = specs.data?.find((x) => String(x.id) === id);
    if (s) setF({ ...f, cpuCores: String(s.cpuCores), memoryMb: String(s.memoryMb), diskGb: String(s.diskGb), bandwidthMbps: String(s.bandwidthMbps) });
  };

  function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!host) return;
    create.mutate({
      serviceId: service.id,
      hostId: host.id,
      port: f.port.trim() === "" ? Number.NaN : Number(f.port),
      software: f.software,
      role: f.role,
      shardIndex: data && f.shardIndex.trim() !== "" ? Number(f.shardIndex) : null,
      version,
      maxmemoryMb: data && f.maxmemoryMb.trim() !== "" ? Number(f.maxmemoryMb) : null,
      state: f.state,
      masterId: f.role === "REPLICA" && f.masterId ? Number(f.masterId) : null,
      cpuCores: orZero(f.cpuCores),
      memoryMb: orZero(f.memoryMb),
      diskGb: orZero(f.diskGb),
      bandwidthMbps: orZero(f.bandwidthMbps),
    });
  }

  return (
    <Dialog open onClose={onClose} title={t("addInstanceTo", { name: service.name })} wide>
      <form onSubmit={submit} className="space-y-4" noValidate>
        <div className="grid gap-3 md:grid-cols-4">
          <div className="md:col-span-2">
            <HostPicker value={host} onChange={setHost} error={err("hostId")} />
          </div>
          <Field label={t("software")} error={err("software")}>
            <Select value={f.software} onChange={(e) => pickSoftware(e.target.value as Software)} data-testid="instance-software">
              {softwares.map((s) => (
                <option key={s} value={s}>
                  {ti(`software.${s}`)}
                </option>
              ))}
            </Select>
          </Field>
          <Field label={t("role")} error={err("role")}>
            <Select value={f.role} onChange={set("role")} data-testid="instance-role">
              {SOFTWARE_ROLES[f.software].map((r) => (
                <option key={r} value={r}>
                  {ti(`roles.${r}`)}
                </option>
              ))}
            </Select>
          </Field>
          {f.role === "REPLICA" ? (
            <Field label={t("master")} error={err("masterId")} hint={t("masterHint")} className="md:col-span-2">
              <Select value={f.masterId} onChange={(e) => pickMaster(e.target.value)} data-testid="instance-master">
                <option value="">—</option>
                {masters.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.shardIndex === null ? "" : `${t("shard", { n: m.shardIndex })} · `}
                    {m.host.ip}:{m.port}
                  </option>
                ))}
              </Select>
            </Field>
          ) : null}
          <Field
            label={t("port")}
            error={f.port.trim() === "" && err("port") ? t("portRequired") : err("port")}
            hint={range ? t("portHint", { start: range.startPort, end: range.endPort, next: range.nextPort }) : undefined}
          >
            <Input type="number" value={f.port} onChange={set("port")} placeholder={range ? String(range.nextPort) : undefined} data-testid="instance-port" />
          </Field>
          {data ? (
            <Field label={t("shardIndex")} error={err("shardIndex")}>
              <Input type="number" value={f.shardIndex} onChange={set("shardIndex")} data-testid="instance-shard" />
            </Field>
          ) : null}
          <Field label={t("version")} error={err("version")} hint={ownVersions.length ? undefined : t("noVersion")}>
            <Select value={version} onChange={set("version")} data-testid="instance-version">
              {ownVersions.map((v) => (
                <option key={v.id} value={v.version}>
                  {v.version}
                  {v.isDefault ? ` (${t("default")})` : ""}
                </option>
              ))}
              {f.version && !ownVersions.some((v) => v.version === f.version) ? <option value={f.version}>{f.version}</option> : null}
            </Select>
          </Field>
          {data ? (
            <Field label={t("maxmemoryMb")} error={err("maxmemoryMb")} hint={f.maxmemoryMb ? gb(Number(f.maxmemoryMb)) : undefined}>
              <Input type="number" value={f.maxmemoryMb} onChange={set("maxmemoryMb")} placeholder="4096" data-testid="instance-maxmemory" />
            </Field>
          ) : null}
          <Field label={t("state")} error={err("state")}>
            <Select value={f.state} onChange={set("state")} data-testid="instance-state">
              {Object.values(InstanceState).map((s) => (
                <option key={s} value={s}>
                  {ti(`states.${s}`)}
                </option>
              ))}
            </Select>
          </Field>
        </div>
        <fieldset className="rounded-md p-3 ring-1 ring-slate-200">
          <legend className="px-1 text-xs font-medium text-slate-600">{t("resources")}</legend>
          <div className="grid gap-3 md:grid-cols-5">
            <Field label={t("fromSpec")}>
              <Select value="" onChange={(e) => pickSpec(e.target.value)} data-testid="instance-spec">
                <option value="">—</option>
                {specs.data
                  ?.filter((s) => s.software === f.software)
                  .map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.name} · {s.cpuCores}c · {gb(s.memoryMb)}
                    </option>
                  ))}
              </Select>
            </Field>
            {RESOURCES.map((k) => (
              <Field key={k} label={t(`resource.${k}`)} error={err(k)}>
                <Input type="number" value={f[k]} onChange={set(k)} placeholder="0" data-testid={`instance-${k}`} />
              </Field>
            ))}
          </div>
          <p className="mt-2 text-xs text-slate-500">{t("resourcesHint")}</p>
        </fieldset>
        <ErrorNote error={any ? null : create.error} />
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>{tc("cancel")}</Button>
          <Button type="submit" variant="primary" disabled={!host || create.isPending} title={host ? undefined : t("hostHint")} data-testid="instance-save">
            {t("addInstance")}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
