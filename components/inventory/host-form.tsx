"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { ErrorNote } from "@/components/ui/error-note";
import { Field, Input, Select } from "@/components/ui/field";
import { fieldErrors } from "@/components/ui/field-errors";
import { useTRPC } from "@/trpc/client";
import { LabelsEditor } from "./labels-editor";
import type { HostDetail } from "./types";

type Form = {
  ip: string;
  hostname: string;
  rackId: string;
  cpuCores: string;
  memoryGb: string;
  diskGb: string;
  bandwidthMbps: string;
  status: string;
  tier: string;
  departmentId: string;
  labels: [string, string][];
};

const fromHost = (h?: HostDetail): Form => ({
  ip: h?.ip ?? "",
  hostname: h?.hostname ?? "",
  rackId: h ? String(h.rackId) : "",
  cpuCores: h ? String(h.cpuCores) : "32",
  memoryGb: h ? String(h.memoryMb / 1024) : "128",
  diskGb: h ? String(h.diskGb) : "1000",
  bandwidthMbps: h ? String(h.bandwidthMbps) : "10000",
  status: h?.status ?? "ONLINE",
  tier: h?.tier ?? "MIXED",
  departmentId: h?.departmentId ? String(h.departmentId) : "",
  labels: h ? Object.entries(h.labels) : [["region", ""]],
});

/** Create or edit one host. Field errors come from the server's zod messages, placed beside the field. */
export function HostFormDialog({ host, onClose }: { host?: HostDetail; onClose: () => void }) {
  const t = useTranslations("hosts");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [f, setF] = useState<Form>(() => fromHost(host));
  const idcs = useQuery(trpc.topology.idcs.queryOptions());
  const departments = useQuery(trpc.productLines.departments.queryOptions());
  const done = () => {
    void qc.invalidateQueries({ queryKey: trpc.hosts.pathKey() });
    onClose();
  };
  const create = useMutation(trpc.hosts.create.mutationOptions({ onSuccess: done }));
  const update = useMutation(trpc.hosts.update.mutationOptions({ onSuccess: done }));
  const m = host ? update : create;
  const { err, any: hasFieldErrors } = fieldErrors(m.error);
  const set = (k: keyof Form) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => setF({ ...f, [k]: e.target.value });
  const num = (s: string) => (s.trim() === "" ? Number.NaN : Number(s));

  function submit(e: React.FormEvent) {
    e.preventDefault();
    const body = {
      ip: f.ip.trim(),
      hostname: f.hostname.trim(),
      rackId: Number(f.rackId) || 0,
      cpuCores: num(f.cpuCores),
      memoryMb: Math.round(num(f.memoryGb) * 1024),
      diskGb: num(f.diskGb),
      bandwidthMbps: num(f.bandwidthMbps),
      status: f.status as "ONLINE",
      tier: f.tier as "MIXED",
      departmentId: f.departmentId ? Number(f.departmentId) : null,
      labels: Object.fromEntries(f.labels.filter(([k]) => k.trim() !== "").map(([k, v]) => [k.trim(), v.trim()])),
    };
    if (host) update.mutate({ id: host.id, ...body });
    else create.mutate(body);
  }

  return (
    <Dialog open onClose={onClose} title={host ? t("editHost", { ip: host.ip }) : t("newHost")} wide>
      <form onSubmit={submit} className="space-y-4" noValidate>
        <div className="grid gap-3 md:grid-cols-3">
          <Field label={t("ip")} error={err("ip")}>
            <Input value={f.ip} onChange={set("ip")} placeholder="10.1.2.3" className="font-mono" name="ip" />
          </Field>
          <Field label={t("hostname")} error={err("hostname")}>
            <Input value={f.hostname} onChange={set("hostname")} name="hostname" />
          </Field>
          <Field label={t("rack")} error={err("rackId")}>
            <Select value={f.rackId} onChange={set("rackId")} name="rackId">
              <option value="">—</option>
              {idcs.data?.map((i) => (
                <optgroup key={i.id} label={`${i.code} · ${i.name}`}>
                  {i.racks.map((r) => (
                    <option key={r.id} value={r.id}>
                      {i.code}/{r.code}
                    </option>
                  ))}
                </optgroup>
              ))}
            </Select>
          </Field>
          <Field label={t("cpu")} error={err("cpuCores")}>
            <Input type="number" value={f.cpuCores} onChange={set("cpuCores")} name="cpuCores" />
          </Field>
          <Field label={t("memoryGb")} error={err("memoryMb")}>
            <Input type="number" value={f.memoryGb} onChange={set("memoryGb")} name="memoryGb" />
          </Field>
          <Field label={t("diskGb")} error={err("diskGb")}>
            <Input type="number" value={f.diskGb} onChange={set("diskGb")} name="diskGb" />
          </Field>
          <Field label={t("bandwidth")} error={err("bandwidthMbps")}>
            <Input type="number" value={f.bandwidthMbps} onChange={set("bandwidthMbps")} name="bandwidthMbps" />
          </Field>
          <Field label={t("status")}>
            <Select value={f.status} onChange={set("status")}>
              {["ONLINE", "MAINTENANCE", "OFFLINE", "LOCKED"].map((s) => (
                <option key={s} value={s}>
                  {t(`statuses.${s}`)}
                </option>
              ))}
            </Select>
          </Field>
          <Field label={t("tier")} hint={t("tierHint")}>
            <Select value={f.tier} onChange={set("tier")}>
              {["DEDICATED", "MIXED_DEPARTMENT", "MIXED"].map((s) => (
                <option key={s} value={s}>
                  {t(`tiers.${s}`)}
                </option>
              ))}
            </Select>
          </Field>
          {f.tier === "MIXED_DEPARTMENT" ? (
            <Field label={t("department")} error={err("departmentId")}>
              <Select value={f.departmentId} onChange={set("departmentId")}>
                <option value="">—</option>
                {departments.data?.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.name}
                  </option>
                ))}
              </Select>
            </Field>
          ) : null}
        </div>
        <Field label={t("labels")} error={err("labels")}>
          <LabelsEditor value={f.labels} onChange={(labels) => setF({ ...f, labels })} />
        </Field>
        <ErrorNote error={hasFieldErrors ? null : m.error} />
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>{tc("cancel")}</Button>
          <Button type="submit" variant="primary" disabled={m.isPending}>
            {host ? tc("save") : tc("create")}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
