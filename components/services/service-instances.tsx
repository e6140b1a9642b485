"use client";

import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { HostAddress } from "@/components/instances/host-address";
import { InstanceStateCell } from "@/components/instances/instance-state";
import { gb, InstanceRoleBadge } from "@/components/inventory/status";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ErrorNote } from "@/components/ui/error-note";
import { useTRPC } from "@/trpc/client";
import { groupInstances, type InstanceGroup } from "./group-instances";
import { InstanceEditDialog } from "./instance-edit";
import { InstanceOperations } from "./instance-operations";
import { SentinelView } from "./sentinel-view";
import type { ServiceDetail, ServiceInstance } from "./types";
import { useInstancesChanged } from "./use-instances-changed";
import type { Operations } from "./use-operations";

/**
 * The service's instances, one block per shard, then proxies and sentinels. Writers get the
 * operations (`ops`) and the catalogue corrections; removing a deployed instance is an operation
 * (it stops the process and frees its files), deleting only a catalogue row is for adopted ones.
 */
export function ServiceInstances({
  service,
  canWrite,
  showHostLinks,
  ops,
}: {
  service: ServiceDetail;
  canWrite: boolean;
  showHostLinks: boolean;
  ops?: Operations;
}) {
  const t = useTranslations("services");
  const ti = useTranslations("inventory");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const instancesChanged = useInstancesChanged();
  const [editing, setEditing] = useState<ServiceInstance | null>(null);
  const remove = useMutation(trpc.services.deleteInstance.mutationOptions({ onSuccess: instancesChanged }));
  const byId = new Map(service.instances.map((i) => [i.id, i]));
  const groups = groupInstances(service.instances);
  const title = (g: InstanceGroup<ServiceInstance>) => (g.kind === "shard" ? t("shard", { n: g.shard }) : t(`groups.${g.kind}`));
  const columns = canWrite ? 8 : 7;

  return (
    <Card title={t("instancesTitle", { count: service.instances.length })}>
      <div className="mb-3 empty:hidden">
        <ErrorNote error={remove.error} />
      </div>
      {groups.length === 0 ? (
        <p className="text-sm text-slate-500">{canWrite ? t("noInstancesWriter") : t("noInstances")}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="min-w-full text-sm">
            <thead className="text-left text-xs uppercase text-slate-500">
              <tr>
                <th className="py-1 pr-3">{t("role")}</th>
                <th className="pr-3">{t("address")}</th>
                <th className="pr-3">{t("host")}</th>
                <th className="pr-3">{t("software")}</th>
                <th className="pr-3">maxmemory</th>
                <th className="pr-3">{t("state")}</th>
                <th className="pr-3">{t("replicaOf")}</th>
                {canWrite ? <th className="text-right">{tc("actions")}</th> : null}
              </tr>
            </thead>
            {groups.map((g) => (
              <tbody
                key={g.kind === "shard" ? `shard-${g.shard}` : g.kind}
                className="divide-y divide-slate-100"
                data-testid={g.kind === "shard" ? `shard-${g.shard}` : `group-${g.kind}`}
              >
                <tr>
                  <th colSpan={columns} className="bg-slate-50 px-2 py-1 text-left text-xs font-semibold text-slate-600">
                    {title(g)} <span className="font-normal text-slate-400">· {g.instances.length}</span>
                  </th>
                </tr>
                {g.instances.map((i) => {
                  const master = i.masterId ? byId.get(i.masterId) : undefined;
                  const address = `${i.host.ip}:${i.port}`;
                  return (
                    <tr key={i.id} data-testid={`instance-row-${address}`}>
                      <td className="py-1.5 pr-3">
                        <InstanceRoleBadge role={i.role} label={ti(`roles.${i.role}`)} />
                      </td>
                      <td className="pr-3">
                        <HostAddress host={i.host} port={i.port} link={showHostLinks} />
                      </td>
                      <td className="whitespace-nowrap pr-3 text-xs text-slate-600">
                        {i.host.hostname} · {i.host.rack.idc.code}/{i.host.rack.code}
                      </td>
                      <td className="pr-3">
                        {ti(`software.${i.software}`)} {i.version}
                      </td>
                      <td className="pr-3 tabular-nums">{i.maxmemoryMb ? gb(i.maxmemoryMb) : "—"}</td>
                      <td className="py-1 pr-3">
                        <InstanceStateCell instance={i} />
                      </td>
                      <td className="max-w-[16rem] pr-3 font-mono text-xs">
                        {i.sentinelView ? <SentinelView views={i.sentinelView} /> : master ? `${master.host.ip}:${master.port}` : "—"}
                      </td>
                      {canWrite ? (
                        <td className="py-1">
                          {/* the operations wrap inside the cell (two lines at most beside a capped replica column): on one line they pushed the table past the card */}
                          <div className="flex min-w-[16rem] flex-wrap justify-end gap-1">
                            {ops ? <InstanceOperations service={service} instance={i} ops={ops} /> : null}
                            <Button variant="ghost" onClick={() => setEditing(i)} data-testid={`instance-edit-${address}`}>
                              {tc("edit")}
                            </Button>
                            {!ops || service.adopted ? (
                              <Button
                                variant="ghost"
                                className="text-rose-700"
                                disabled={remove.isPending}
                                onClick={() => window.confirm(tc("confirmDelete", { what: address })) && remove.mutate({ id: i.id })}
                                data-testid={`instance-remove-${address}`}
                              >
                                {tc("delete")}
                              </Button>
                            ) : null}
                          </div>
                        </td>
                      ) : null}
                    </tr>
                  );
                })}
              </tbody>
            ))}
          </table>
        </div>
      )}
      {editing ? <InstanceEditDialog instance={editing} onClose={() => setEditing(null)} /> : null}
    </Card>
  );
}
