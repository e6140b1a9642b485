"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { clsx } from "clsx";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ErrorNote } from "@/components/ui/error-note";
import { Field, Input, Select } from "@/components/ui/field";
import { useTRPC } from "@/trpc/client";
import { BackendBadge, RunStatus, SimpleTable, td } from "./status";

function SyncInterval({ canWrite }: { canWrite: boolean }) {
  const t = useTranslations("libra.overview");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const settings = useQuery(trpc.libra.settings.queryOptions());
  const [draft, setDraft] = useState<number | null>(null);
  const save = useMutation(
    trpc.libra.setSyncInterval.mutationOptions({ onSuccess: () => (setDraft(null), void qc.invalidateQueries({ queryKey: trpc.libra.settings.queryKey() })) }),
  );
  const value = draft ?? settings.data?.syncIntervalSeconds ?? 10;
  return (
    <div className="flex flex-wrap items-end gap-2">
      <Field label={t("interval")}>
        <Input
          type="number"
          className="w-28"
          value={value}
          disabled={!canWrite}
          onChange={(e) => setDraft(Number(e.target.value))}
          data-testid="libra-interval"
        />
      </Field>
      {canWrite ? (
        <Button disabled={draft === null || save.isPending} onClick={() => draft !== null && save.mutate({ seconds: draft })} data-testid="libra-interval-save">
          {t("save")}
        </Button>
      ) : null}
      <ErrorNote error={save.error} />
    </div>
  );
}

function NewPool() {
  const t = useTranslations("libra.overview");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [form, setForm] = useState({ name: "", backend: "HAPROXY" as "HAPROXY" | "LVS", servers: "", statsPort: "9401", description: "", vipRange: "" });
  const create = useMutation(
    trpc.libra.createPool.mutationOptions({
      onSuccess: () => (setForm({ ...form, name: "", servers: "", vipRange: "" }), void qc.invalidateQueries({ queryKey: trpc.libra.pools.queryKey() })),
    }),
  );
  const submit = () =>
    create.mutate({
      name: form.name,
      backend: form.backend,
      description: form.description,
      statsPort: form.backend === "HAPROXY" ? Number(form.statsPort) : null,
      vipRange: form.vipRange.trim() || null,
      servers: form.servers
        .split(/[\s,]+/)
        .filter(Boolean)
        .map((ip) => ({ ip, executor: "LOCAL" as const })),
    });
  return (
    <div className="space-y-2">
      <div className="grid gap-2 sm:grid-cols-6">
        <Field label={t("poolName")}>
          <Input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} placeholder="lvs-sh-01" />
        </Field>
        <Field label={t("backend")}>
          <Select value={form.backend} onChange={(e) => setForm({ ...form, backend: e.target.value as "HAPROXY" | "LVS" })}>
            <option value="HAPROXY">HAProxy</option>
            <option value="LVS">LVS · keepalived</option>
          </Select>
        </Field>
        <Field label={t("servers")} hint={t("serversHint")}>
          <Input value={form.servers} onChange={(e) => setForm({ ...form, servers: e.target.value })} placeholder="127.0.2.2" />
        </Field>
        <Field label={t("vipRange")} hint={t("vipRangeHint")}>
          <Input value={form.vipRange} onChange={(e) => setForm({ ...form, vipRange: e.target.value })} placeholder="127.0.2.10-127.0.2.250" />
        </Field>
        {form.backend === "HAPROXY" ? (
          <Field label={t("statsPort")} hint={t("statsPortHint")}>
            <Input type="number" value={form.statsPort} onChange={(e) => setForm({ ...form, statsPort: e.target.value })} />
          </Field>
        ) : (
          <div />
        )}
        <div className="flex items-end">
          <Button variant="primary" disabled={create.isPending} onClick={submit}>
            {t("createPool")}
          </Button>
        </div>
      </div>
      <ErrorNote error={create.error} />
    </div>
  );
}

export function LibraOverview({ canWrite }: { canWrite: boolean }) {
  const t = useTranslations("libra.overview");
  const format = useFormatter();
  const trpc = useTRPC();
  const pools = useQuery({ ...trpc.libra.pools.queryOptions(), refetchInterval: 5000 });
  return (
    <div className="space-y-4">
      <Card title={t("pools")} actions={<SyncInterval canWrite={canWrite} />}>
        <SimpleTable head={[t("pool"), t("backend"), t("servers"), t("applications"), t("pending"), t("live"), t("lastRun")]} testId="libra-pools">
          {(pools.data ?? []).map((p) => (
            <tr key={p.id} data-testid={`libra-pool-${p.name}`}>
              <td className={td}>
                <Link href={`/libra/pools/${p.id}`} className="font-medium text-indigo-700 hover:underline">
                  {p.name}
                </Link>
                {p.description ? <div className="text-xs text-slate-500">{p.description}</div> : null}
              </td>
              <td className={td}>
                <BackendBadge backend={p.backend} />
              </td>
              <td className={clsx(td, "font-mono text-xs")}>{p.servers.join(", ")}</td>
              <td className={clsx(td, "tabular-nums")}>{p.applications}</td>
              <td className={td}>
                {p.pending ? <Badge tone="amber">{t("pendingCount", { n: p.pending })}</Badge> : <Badge tone="green">{t("inSync")}</Badge>}
              </td>
              <td className={clsx(td, "tabular-nums")}>
                {p.live ? `v${p.live.number} · ${format.dateTime(p.live.createdAt, { dateStyle: "short", timeStyle: "short" })}` : "—"}
              </td>
              <td className={td}>
                {p.lastRun ? <RunStatus status={p.lastRun.status} /> : "—"}
                {p.lastRun?.error ? (
                  <div className="max-w-xs truncate text-xs text-rose-700" title={p.lastRun.error}>
                    {p.lastRun.error}
                  </div>
                ) : null}
              </td>
            </tr>
          ))}
        </SimpleTable>
        {pools.data?.length === 0 ? <p className="py-2 text-sm text-slate-500">{t("noPools")}</p> : null}
        {canWrite ? (
          <details className="mt-3">
            <summary className="cursor-pointer text-sm font-medium text-indigo-700">{t("addPool")}</summary>
            <div className="mt-2">
              <NewPool />
            </div>
          </details>
        ) : null}
      </Card>
    </div>
  );
}
