"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { HostCredentialCard } from "./host-credential";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { ErrorNote } from "@/components/ui/error-note";
import { useTRPC } from "@/trpc/client";
import { HostFormDialog } from "./host-form";
import { InstanceStateCell } from "@/components/instances/instance-state";
import { gb, HostStatusBadge, LabelChips, UsageBar } from "./status";

export function HostDetailView({ id, canWrite }: { id: number; canWrite: boolean }) {
  const t = useTranslations("hosts");
  const tc = useTranslations("common");
  const ti = useTranslations("inventory");
  const tcap = useTranslations("capacity");
  const trpc = useTRPC();
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  const host = useQuery(trpc.hosts.get.queryOptions({ id }));
  const remove = useMutation(trpc.hosts.delete.mutationOptions({ onSuccess: () => router.push("/inventory/hosts") }));
  const release = useMutation(trpc.scheduler.release.mutationOptions({ onSuccess: () => void host.refetch() }));
  if (host.error) return <ErrorNote error={host.error} />;
  if (!host.data) return <p className="text-slate-500">{tc("loading")}</p>;
  const h = host.data;
  return (
    <>
      <PageHeader
        title={`${h.ip} · ${h.hostname}`}
        subtitle={`${h.rack.idc.code} · ${h.rack.idc.name} / ${h.rack.code}`}
        actions={
          canWrite ? (
            <>
              <Button onClick={() => setEditing(true)}>{tc("edit")}</Button>
              <Button variant="danger" disabled={remove.isPending} onClick={() => window.confirm(tc("confirmDelete", { what: h.ip })) && remove.mutate({ id })}>
                {tc("delete")}
              </Button>
            </>
          ) : null
        }
      />
      <div className="mb-3">
        <ErrorNote error={remove.error ?? release.error} />
      </div>
      <div className="grid gap-4 lg:grid-cols-3">
        <Card title={t("facts")}>
          <dl className="grid grid-cols-[8rem_1fr] gap-y-2 text-sm">
            <dt className="text-slate-500">{t("status")}</dt>
            <dd>
              <HostStatusBadge status={h.status} label={t(`statuses.${h.status}`)} />
            </dd>
            <dt className="text-slate-500">{t("tier")}</dt>
            <dd>
              {t(`tiers.${h.tier}`)}
              {h.department ? ` · ${h.department.name}` : ""}
            </dd>
            <dt className="text-slate-500">{t("labels")}</dt>
            <dd>
              <LabelChips labels={h.labels} />
            </dd>
            <dt className="text-slate-500">{t("executor")}</dt>
            <dd>{t(`executors.${h.executor}`)}</dd>
            {Object.entries(h.facts as Record<string, string>).map(([k, v]) => (
              <div key={k} className="contents">
                <dt className="text-slate-500">{k}</dt>
                <dd className="font-mono text-xs">{String(v)}</dd>
              </div>
            ))}
          </dl>
        </Card>
        <Card title={t("capacity")}>
          <div className="grid grid-cols-2 gap-4">
            <div>
              <div className="mb-1 text-xs text-slate-500">{t("cpu")}</div>
              <UsageBar used={h.usage.usedCpu} total={h.cpuCores} format={(n) => `${+n.toFixed(1)}c`} />
            </div>
            <div>
              <div className="mb-1 text-xs text-slate-500">{t("memory")}</div>
              <UsageBar used={h.usage.usedMemoryMb} total={h.memoryMb} format={gb} />
            </div>
            <div>
              <div className="mb-1 text-xs text-slate-500">{t("diskGb")}</div>
              <UsageBar used={h.usage.usedDiskGb} total={h.diskGb} format={(n) => `${n} GB`} />
            </div>
            <div>
              <div className="mb-1 text-xs text-slate-500">{t("bandwidth")}</div>
              <UsageBar used={h.usage.usedBandwidthMbps} total={h.bandwidthMbps} format={(n) => `${n} Mb`} />
            </div>
          </div>
        </Card>
        <Card title={t("locks")}>
          {h.allocationItems.length === 0 ? (
            <p className="text-sm text-slate-500">{t("noLocks")}</p>
          ) : (
            <ul className="space-y-1 text-sm" data-testid="host-locks">
              {h.allocationItems.map((a) => {
                const expired = a.allocation.status === "LOCKED" && new Date(a.allocation.expiresAt) <= new Date();
                return (
                  <li key={a.id} className="flex items-center justify-between gap-2">
                    <span>
                      <span className="font-mono">
                        :{a.port} · {ti(`roles.${a.role}`)} · {gb(a.memoryMb)}
                      </span>
                      <span className="block text-xs text-slate-500">
                        {a.allocation.purpose} · {a.allocation.holder?.username ?? "system"}
                      </span>
                    </span>
                    <span className="flex items-center gap-1">
                      <Badge tone={expired ? "slate" : a.allocation.status === "LOCKED" ? "amber" : "blue"}>
                        {tcap(`statuses.${expired ? "EXPIRED" : a.allocation.status}`)}
                      </Badge>
                      {canWrite ? (
                        <Button
                          variant="ghost"
                          disabled={release.isPending}
                          onClick={() => window.confirm(t("confirmRelease")) && release.mutate({ id: a.allocationId })}
                        >
                          {t("release")}
                        </Button>
                      ) : null}
                    </span>
                  </li>
                );
              })}
            </ul>
          )}
        </Card>
      </div>
      {canWrite ? <HostCredentialCard hostId={h.id} ip={h.ip} /> : null}
      <Card title={t("instancesOnHost", { count: h.instances.length })} className="mt-4">
        <table className="min-w-full text-sm">
          <thead className="text-left text-xs uppercase text-slate-500">
            <tr>
              <th className="py-1">{t("port")}</th>
              <th>{t("service")}</th>
              <th>{t("role")}</th>
              <th>{t("version")}</th>
              <th>maxmemory</th>
              <th>{t("state")}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {h.instances.map((i) => (
              <tr key={i.id}>
                <td className="py-1 font-mono">{i.port}</td>
                <td>
                  <Link className="text-indigo-700 hover:underline" href={`/inventory/services/${i.service.id}`}>
                    {i.service.name}
                  </Link>
                </td>
                <td>
                  {ti(`roles.${i.role}`)}
                  {i.shardIndex !== null ? ` #${i.shardIndex}` : ""}
                </td>
                <td>
                  {ti(`software.${i.software}`)} {i.version}
                </td>
                <td>{i.maxmemoryMb ? gb(i.maxmemoryMb) : "—"}</td>
                <td className="py-1">
                  <InstanceStateCell instance={i} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      {editing ? (
        <HostFormDialog
          host={h}
          onClose={() => {
            setEditing(false);
            void host.refetch();
          }}
        />
      ) : null}
    </>
  );
}
