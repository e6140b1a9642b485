"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { BackupsCard } from "@/components/backups/backups-card";
import { KeyAnalysisCard } from "@/components/keys/key-analysis-card";
import { AskCleanup, AskRetire } from "@/components/decommission/retire";
import { CredentialsCard } from "./credentials-card";
import { useState } from "react";
import { gb, ServiceStatusBadge } from "@/components/inventory/status";
import { Badge, Stars } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { PageHeader, Stat } from "@/components/ui/card";
import { ErrorNote } from "@/components/ui/error-note";
import { useTRPC } from "@/trpc/client";
import { InstanceCreateDialog } from "./instance-create";
import { OperationsCard } from "./operations-card";
import { ConfigurationCard } from "@/components/daytwo/configuration-card";
import { UpgradeCard } from "@/components/daytwo/upgrade-card";
import { ResizeCard } from "./resize-card";
import { ServiceFormDialog } from "./service-form";
import { ServiceInstances } from "./service-instances";
import type { ServiceDetail } from "./types";
import { useOperations } from "./use-operations";

/** Data held by the service: what its masters and cache nodes may use (replicas copy, they add nothing). */
const capacityMb = (s: ServiceDetail) => s.instances.filter((i) => i.role === "MASTER" || i.role === "CACHE").reduce((sum, i) => sum + (i.maxmemoryMb ?? 0), 0);

export function ServiceDetailView({
  id,
  canWrite,
  canRequest = false,
  showHostLinks,
  resizeTo,
}: {
  id: number;
  canWrite: boolean;
  /** may ask to retire it (its line's business users, DBAs) */
  canRequest?: boolean;
  showHostLinks: boolean;
  /** the shard count a promotion's forecast asks for (the risk list's "scale out") */
  resizeTo?: number;
}) {
  const t = useTranslations("services");
  const ti = useTranslations("inventory");
  const tc = useTranslations("common");
  const to = useTranslations("operations");
  const trpc = useTRPC();
  const ops = useOperations();
  const [dialog, setDialog] = useState<"edit" | "instance" | null>(null);
  const service = useQuery(trpc.services.get.queryOptions({ id }));
  // A failed refresh keeps the page (and a dialog the DBA has open) with the last data read; only a first read that fails replaces it.
  if (!service.data)
    return service.error ? (
      <div data-testid="service-error">
        <ErrorNote error={service.error} />
      </div>
    ) : (
      <p className="text-slate-500">{tc("loading")}</p>
    );
  const s = service.data;
  // A seeded demo-catalogue service has no processes: operations on it could only fail.
  const operable = canWrite && !s.isDemo;
  const shards = new Set(s.instances.flatMap((i) => (i.shardIndex === null ? [] : [i.shardIndex]))).size;
  const down = s.instances.filter((i) => i.state !== "RUNNING").length;
  // Sentinel picks the replica itself: the service's fail over names the master's first replica.
  const sentinelReplica = s.kind === "REDIS_SENTINEL" ? s.instances.find((i) => i.role === "REPLICA") : undefined;
  const proxied = s.kind === "REDIS_TWEMPROXY" || s.kind === "MEMCACHED_TWEMPROXY";
  return (
    <>
      {service.error ? (
        <div className="mb-3" data-testid="service-refresh-error">
          <ErrorNote error={service.error} />
        </div>
      ) : null}
      <PageHeader
        title={s.name}
        subtitle={
          <span className="flex flex-col gap-1.5">
            <span className="inline-flex flex-wrap items-center gap-2">
              {s.productLine.code} · {s.productLine.name} <Stars n={s.productLine.importance} /> · {s.productLine.department.name}
            </span>
            <span className="inline-flex flex-wrap items-center gap-2 text-slate-700">
              <span>{ti(`kinds.${s.kind}`)}</span>
              <ServiceStatusBadge status={s.status} label={ti(`serviceStatuses.${s.status}`)} />
              {s.isDemo ? (
                <span title={t("demoCatalogueHint")}>
                  <Badge>{t("demoCatalogue")}</Badge>
                </span>
              ) : s.adopted ? (
                <Badge tone="blue">{t("adopted")}</Badge>
              ) : null}
              <span className="text-slate-500">{t("entry")}</span>
              <span className="font-mono" data-testid="service-entry">
                {s.entryHost ? `${s.entryHost}:${s.entryPort ?? ""}` : "—"}
              </span>
            </span>
          </span>
        }
        actions={
          <>
            {canRequest && !s.isDemo && s.status !== "DECOMMISSIONED" ? <AskRetire serviceId={s.id} /> : null}
            {canRequest && !s.isDemo && !s.adopted && s.status === "ONLINE" && s.kind.startsWith("REDIS") ? <AskCleanup serviceId={s.id} /> : null}
            {canWrite ? (
              <>
                {operable && sentinelReplica ? (
                  <Button
                    disabled={ops.pending}
                    onClick={() =>
                      window.confirm(to("confirm.failoverService", { service: s.name })) && ops.failover.mutate({ instanceId: sentinelReplica.id })
                    }
                    data-testid="service-failover"
                  >
                    {to("failover")}
                  </Button>
                ) : null}
                {operable && proxied && !s.adopted ? (
                  <Button
                    disabled={ops.pending}
                    onClick={() => window.confirm(to("confirm.clone", { service: s.name })) && ops.cloneProxy.mutate({ serviceId: s.id })}
                    data-testid="service-clone-proxy"
                  >
                    {to("clone")}
                  </Button>
                ) : null}
                <Button onClick={() => setDialog("edit")} data-testid="service-edit">
                  {tc("edit")}
                </Button>
                <Button variant="primary" onClick={() => setDialog("instance")} data-testid="instance-create">
                  + {t("addInstance")}
                </Button>
              </>
            ) : null}
          </>
        }
      />
      {s.description ? (
        <p className="mb-4 whitespace-pre-line text-sm text-slate-600" data-testid="service-description">
          {s.description}
        </p>
      ) : null}
      <div className="mb-4 grid grid-cols-2 gap-3 md:grid-cols-4">
        <Stat label={t("shards")} value={shards} />
        <Stat label={t("instances")} value={s.instances.length} />
        <Stat label={t("capacity")} value={gb(capacityMb(s))} />
        <Stat label={t("notRunning")} value={down} tone={down > 0 ? "red" : "green"} />
      </div>
      <CredentialsCard service={s} canWrite={canWrite} />
      <ServiceInstances service={s} canWrite={canWrite} showHostLinks={showHostLinks} ops={operable ? ops : undefined} />
      {operable && !s.adopted ? <ConfigurationCard service={s} /> : null}
      {operable && !s.adopted ? <UpgradeCard service={s} /> : null}
      {operable ? <OperationsCard service={s} ops={ops} /> : null}
      <BackupsCard serviceId={s.id} canWrite={canWrite && operable} />
      <KeyAnalysisCard serviceId={s.id} canWrite={canWrite && operable} />
      {/* a catalogue service gets the card too: its dry run says in words why it cannot be resized */}
      {canWrite && s.kind === "REDIS_TWEMPROXY" ? <ResizeCard service={s} canOperate={canWrite} initialShards={resizeTo} /> : null}
      {dialog === "edit" ? <ServiceFormDialog service={s} onClose={() => setDialog(null)} /> : null}
      {dialog === "instance" ? <InstanceCreateDialog service={s} onClose={() => setDialog(null)} /> : null}
    </>
  );
}
