"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { JOB_TONE, LogView, Steps } from "@/components/requests/job-view";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ErrorNote } from "@/components/ui/error-note";
import { Field, Input } from "@/components/ui/field";
import { useTRPC } from "@/trpc/client";
import type { ServiceDetail } from "./types";

const live = (status: string | undefined) => status === "QUEUED" || status === "RUNNING";

/**
 * Resize of a Twemproxy service's shards with its data: a DBA plans it (dry run: the keys that move,
 * the new shards' hosts and ports) and runs it; the latest resize shows its progress bar (keys moved
 * / total, rate, time left), its steps and its log, followed every second while it runs.
 */
export function ResizeCard({ service, canOperate, initialShards }: { service: ServiceDetail; canOperate: boolean; initialShards?: number }) {
  const t = useTranslations("reshardCard");
  const tj = useTranslations("requests.job");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const current = service.instances.filter((i) => i.role === "MASTER").length;
  const [shards, setShards] = useState(initialShards ?? current + 2);
  const [asked, setAsked] = useState<number | null>(initialShards ?? null);
  const latest = useQuery({
    ...trpc.reshard.latest.queryOptions({ serviceId: service.id }),
    refetchInterval: (q) => (live(q.state.data?.status) ? 1000 : false),
  });
  const plan = useQuery({
    ...trpc.reshard.plan.queryOptions({ serviceId: service.id, shards: asked ?? current }),
    enabled: canOperate && asked !== null,
    retry: false,
  });
  const submit = useMutation(
    trpc.reshard.submit.mutationOptions({
      onSuccess: () => {
        setAsked(null);
        void qc.invalidateQueries({ queryKey: trpc.reshard.latest.queryKey({ serviceId: service.id }) });
      },
    }),
  );
  const job = latest.data;
  const p = job?.progress;
  const pct = p && p.total > 0 ? Math.min(100, Math.round((p.moved / p.total) * 100)) : 0;
  return (
    <Card title={t("title")} className="mt-4">
      <p className="mb-3 text-xs text-slate-500">{t("current", { shards: current })}</p>
      {canOperate ? (
        <div className="mb-3 flex flex-wrap items-end gap-2">
          <Field label={t("shards")} className="w-32">
            <Input type="number" min={1} max={256} value={shards} onChange={(e) => setShards(Number(e.target.value))} data-testid="resize-shards" />
          </Field>
          <Button onClick={() => setAsked(shards)} data-testid="resize-plan">
            {t("dryRun")}
          </Button>
          <Button
            variant="primary"
            disabled={!plan.data || submit.isPending || live(job?.status)}
            onClick={() => submit.mutate({ serviceId: service.id, shards: asked! })}
            data-testid="resize-submit"
          >
            {t("submit")}
          </Button>
        </div>
      ) : null}
      {plan.error ? (
        <p className="mb-3 rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800" data-testid="resize-refused">
          {t("refused", { why: plan.error.message })}
        </p>
      ) : null}
      <ErrorNote error={submit.error} />
      {plan.data && asked !== null ? (
        <div className="mb-3 space-y-1 text-sm" data-testid="resize-dry-run">
          <p>
            {t("plan", {
              from: plan.data.from,
              to: plan.data.to,
              moving: plan.data.movingKeys,
              keys: plan.data.keys,
              share: (plan.data.share * 100).toFixed(1),
            })}
          </p>
          {plan.data.newShards.map((s) => (
            <p key={s.shard} className="font-mono text-xs text-slate-600">
              {t("newShards", { shard: s.shard, master: s.master, replicas: s.replicas.join(", ") || "-" })}
            </p>
          ))}
          {plan.data.retiring.length ? <p className="text-xs text-slate-600">{t("retiring", { names: plan.data.retiring.join(", ") })}</p> : null}
        </div>
      ) : null}
      {job ? (
        <div className="space-y-3" data-testid="resize-job" data-status={job.status}>
          <div className="flex items-center gap-2 text-sm">
            <span className="font-medium">
              {job.input.shards} {t("shards")}
            </span>
            <Badge tone={JOB_TONE[job.status]}>{tj(`statuses.${job.status}`)}</Badge>
          </div>
          {p ? (
            <div>
              <div className="h-2 w-full overflow-hidden rounded bg-slate-100" role="progressbar" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100}>
                <div className="h-2 bg-indigo-500 transition-all" style={{ width: `${pct}%` }} />
              </div>
              <p className="mt-1 text-xs text-slate-600" data-testid="resize-progress">
                {t("progress", { moved: p.moved, total: p.total, rate: p.ratePerSec, eta: p.etaSec ?? "-" })}
                {p.pauseMs !== undefined ? ` · ${t("paused", { pauseMs: p.pauseMs })}` : null}
              </p>
            </div>
          ) : null}
          <div className="grid gap-4 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
            <Steps steps={job.steps} />
            <LogView logs={job.logs} steps={job.steps} />
          </div>
        </div>
      ) : null}
    </Card>
  );
}
