"use client";

import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useFormatter, useTranslations } from "next-intl";
import { useEffect, useRef } from "react";
import { JOB_TONE, LogView, Steps } from "@/components/requests/job-view";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { ErrorNote } from "@/components/ui/error-note";
import { useText } from "@/components/ui/use-text";
import type { AppRouter } from "@/server/api/root";
import { useTRPC } from "@/trpc/client";
import type { ServiceDetail } from "./types";
import { useInstancesChanged } from "./use-instances-changed";
import type { Operations } from "./use-operations";

type OperationJob = inferRouterOutputs<AppRouter>["operations"]["jobs"][number];

const isLive = (j: OperationJob) => j.status === "QUEUED" || j.status === "RUNNING";

/** The service's operations, newest first and open; followed every second while one is queued or running. */
export function OperationsCard({ service, ops }: { service: ServiceDetail; ops: Operations }) {
  const t = useTranslations("operations");
  const trpc = useTRPC();
  const instancesChanged = useInstancesChanged();
  const jobs = useQuery({
    ...trpc.operations.jobs.queryOptions({ serviceId: service.id }),
    refetchInterval: (q) => (q.state.data?.some(isLive) ? 1000 : false),
  });
  // A finished operation changed instances (state, role, maxmemory, a new or removed row): reread them.
  const live = (jobs.data ?? [])
    .filter(isLive)
    .map((j) => j.id)
    .join(",");
  const previous = useRef(live);
  useEffect(() => {
    if (previous.current !== live) void instancesChanged();
    previous.current = live;
  }, [live, instancesChanged]);

  return (
    <Card title={t("title")} className="mt-4">
      <p className="mb-3 text-xs text-slate-500">{t("subtitle")}</p>
      <div className="mb-3 empty:hidden">
        <ErrorNote error={ops.error ?? jobs.error} />
      </div>
      {jobs.data?.length === 0 ? <p className="text-sm text-slate-500">{t("none")}</p> : null}
      <div className="space-y-2" data-testid="operations">
        {(jobs.data ?? []).map((job, index) => (
          <JobEntry key={job.id} job={job} service={service} open={index === 0} />
        ))}
      </div>
    </Card>
  );
}

function JobEntry({ job, service, open }: { job: OperationJob; service: ServiceDetail; open: boolean }) {
  const t = useTranslations("operations");
  const tj = useTranslations("requests.job");
  const th = useTranslations("healing");
  const format = useFormatter();
  const tx = useText();
  const input = job.input as { instanceId?: number; maxmemoryMb?: number };
  const instance = input.instanceId ? service.instances.find((i) => i.id === input.instanceId) : undefined;
  const what = instance ? `${instance.host.ip}:${instance.port}` : input.instanceId ? t("removedInstance", { id: input.instanceId }) : service.name;
  return (
    <details open={open} className="rounded-md ring-1 ring-slate-200" data-testid={`operation-${job.kind}`} data-status={job.status}>
      <summary className="flex cursor-pointer flex-wrap items-center gap-2 px-3 py-2 text-sm">
        {/* kinds nest by their dot: instance.start → kinds.instance.start */}
        <span className="font-medium">{t(`kinds.${job.kind}`)}</span>
        <span className="font-mono text-xs text-slate-600">
          {t("target", { what })}
          {input.maxmemoryMb ? ` → ${input.maxmemoryMb} MB` : ""}
        </span>
        <Badge tone={JOB_TONE[job.status]}>{tj(`statuses.${job.status}`)}</Badge>
        {job.automatic ? (
          <span title={th("automaticHint")} data-testid="operation-automatic">
            <Badge tone="violet">{th("automatic")}</Badge>
          </span>
        ) : null}
        <span className="ml-auto text-xs text-slate-500">
          {job.createdBy ? `${t("by", { user: job.createdBy.username })} · ` : null}
          {format.dateTime(job.createdAt, { dateStyle: "medium", timeStyle: "medium" })}
        </span>
      </summary>
      <div className="space-y-3 border-t border-slate-100 p-3">
        {job.error ? <p className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800 ring-1 ring-rose-200">{tx(job.errorText, job.error)}</p> : null}
        <div className="grid gap-4 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
          <Steps steps={job.steps} />
          <LogView logs={job.logs} steps={job.steps} />
        </div>
      </div>
    </details>
  );
}
