"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ErrorNote } from "@/components/ui/error-note";
import { useText } from "@/components/ui/use-text";
import { TRAFFIC_MAX_RATE, TRAFFIC_MAX_SECONDS } from "@/server/domain/monitoring/traffic/limits";
import { useTRPC } from "@/trpc/client";

/** DBA / ADMIN: send bounded demo traffic to the service's loopback entry point, and stop it. */
export function TrafficCard({ serviceId }: { serviceId: number }) {
  const t = useTranslations("monitoringViews");
  const tx = useText();
  const format = useFormatter();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [form, setForm] = useState({ rate: "500", duration: "120", reads: "80" });
  const runs = useQuery(
    trpc.metrics.traffic.queryOptions(
      { serviceId },
      { refetchInterval: (q) => (q.state.data?.some((j) => j.status === "QUEUED" || j.status === "RUNNING") ? 2000 : false) },
    ),
  );
  const refresh = () => void qc.invalidateQueries({ queryKey: trpc.metrics.traffic.queryKey({ serviceId }) });
  const start = useMutation(trpc.metrics.startTraffic.mutationOptions({ onSuccess: refresh }));
  const stop = useMutation(trpc.metrics.stopTraffic.mutationOptions({ onSuccess: refresh }));
  const field = (key: keyof typeof form, label: string, max: number) => (
    <label className="text-sm">
      <span className="block text-xs text-slate-500">{label}</span>
      <input
        type="number"
        min={0}
        max={max}
        className="w-28 rounded border border-slate-300 px-2 py-1"
        value={form[key]}
        onChange={(e) => setForm({ ...form, [key]: e.target.value })}
        data-testid={`traffic-${key}`}
      />
    </label>
  );
  return (
    <Card title={t("traffic.title")}>
      <p className="mb-3 text-sm text-slate-600">{t("traffic.hint", { rate: TRAFFIC_MAX_RATE, minutes: TRAFFIC_MAX_SECONDS / 60 })}</p>
      <div className="flex flex-wrap items-end gap-3">
        {field("rate", t("traffic.rate"), TRAFFIC_MAX_RATE)}
        {field("duration", t("traffic.duration"), TRAFFIC_MAX_SECONDS)}
        {field("reads", t("traffic.reads"), 100)}
        <Button
          variant="primary"
          disabled={start.isPending}
          onClick={() => start.mutate({ serviceId, ratePerSec: Number(form.rate), durationSec: Number(form.duration), readRatio: Number(form.reads) / 100 })}
          data-testid="traffic-start"
        >
          {t("traffic.start")}
        </Button>
      </div>
      <div className="mt-2">
        <ErrorNote error={start.error ?? stop.error} />
      </div>
      <ul className="mt-3 space-y-2" data-testid="traffic-runs">
        {(runs.data ?? []).map((j) => {
          const active = j.status === "QUEUED" || j.status === "RUNNING";
          return (
            <li key={j.id} className="rounded-md bg-slate-50 px-3 py-2 text-sm" data-testid="traffic-run" data-status={j.status}>
              <div className="flex flex-wrap items-center gap-2">
                <Badge tone={j.status === "FAILED" ? "red" : active ? "blue" : "green"}>{t(`traffic.statuses.${j.status}`)}</Badge>
                <span className="tabular-nums">
                  {j.input.ratePerSec} ops/s · {j.input.durationSec} s · {Math.round(j.input.readRatio * 100)}% reads
                </span>
                <span className="text-slate-500">
                  {format.dateTime(new Date(j.createdAt), { timeStyle: "short" })} {j.createdBy ? t("traffic.by", { user: j.createdBy }) : null}
                </span>
                {active ? (
                  j.stopRequested ? (
                    <span className="text-slate-500">{t("traffic.stopping")}</span>
                  ) : (
                    <Button className="ml-auto" disabled={stop.isPending} onClick={() => stop.mutate({ jobId: j.id })} data-testid="traffic-stop">
                      {t("traffic.stop")}
                    </Button>
                  )
                ) : null}
              </div>
              {j.logs.length ? (
                <pre className="mt-1 max-h-28 overflow-y-auto whitespace-pre-wrap text-xs text-slate-600">
                  {j.logs.map((l) => tx(l.text, l.message)).join("\n")}
                </pre>
              ) : null}
              {j.error ? <p className="mt-1 text-xs text-rose-700">{tx(j.errorText, j.error)}</p> : null}
            </li>
          );
        })}
      </ul>
    </Card>
  );
}
