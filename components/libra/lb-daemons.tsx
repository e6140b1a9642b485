"use client";

import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useFormatter, useNow, useTranslations } from "next-intl";
import { JOB_TONE, LogView, Steps } from "@/components/requests/job-view";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import type { AppRouter } from "@/server/api/root";
import { useTRPC } from "@/trpc/client";

type Server = inferRouterOutputs<AppRouter>["libra"]["pool"]["servers"][number];

/** Each server's daemon as the reconciler last saw it, and the restarts Hedwig made (automatic jobs with their logs). */
export function LbDaemons({ poolId, servers }: { poolId: number; servers: Server[] }) {
  const t = useTranslations("healing.lb");
  const th = useTranslations("healing");
  const tj = useTranslations("requests.job");
  const format = useFormatter();
  const now = useNow({ updateInterval: 5_000 });
  const trpc = useTRPC();
  const jobs = useQuery({ ...trpc.healing.lbRestarts.queryOptions({ poolId }), refetchInterval: 5000 });
  return (
    <Card title={t("title")}>
      <ul className="mb-3 space-y-1 text-sm" data-testid="lb-daemons">
        {servers.map((s) => {
          const h = s.health;
          const params = (h?.params ?? {}) as Record<string, string | number>;
          return (
            <li key={s.id} className="flex flex-wrap items-center gap-2" data-testid="lb-daemon" data-up={h ? String(h.up) : "unknown"}>
              <span className="font-mono">{s.ip}</span>
              {!h ? (
                <Badge>{t("notObserved")}</Badge>
              ) : h.up ? (
                <Badge tone="green">{t("up")}</Badge>
              ) : (
                <Badge tone="red">{t("down", { time: format.dateTime(h.since, { timeStyle: "medium" }) })}</Badge>
              )}
              {h && !h.up && h.code ? <span className="text-rose-700">{t(h.code as "lb_not_running", params)}</span> : null}
              {h?.lastUpAt && !h.up ? <span className="text-xs text-slate-500">{t("lastUp", { ago: format.relativeTime(h.lastUpAt, now) })}</span> : null}
            </li>
          );
        })}
      </ul>
      <h3 className="mb-1 text-xs font-semibold uppercase text-slate-500">{t("restarts")}</h3>
      {jobs.data?.length === 0 ? <p className="text-sm text-slate-500">{t("noRestarts")}</p> : null}
      <div className="space-y-2" data-testid="lb-restarts">
        {(jobs.data ?? []).map((job, index) => (
          <details key={job.id} open={index === 0 && job.status !== "SUCCEEDED"} className="rounded-md ring-1 ring-slate-200">
            <summary className="flex cursor-pointer flex-wrap items-center gap-2 px-3 py-2 text-sm">
              <Badge tone={JOB_TONE[job.status]}>{tj(`statuses.${job.status}`)}</Badge>
              {job.automatic ? (
                <span title={th("automaticHint")}>
                  <Badge tone="violet">{th("automatic")}</Badge>
                </span>
              ) : null}
              <span className="ml-auto text-xs text-slate-500">{format.dateTime(job.createdAt, { dateStyle: "medium", timeStyle: "medium" })}</span>
            </summary>
            <div className="grid gap-4 border-t border-slate-100 p-3 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
              <Steps steps={job.steps} />
              <LogView logs={job.logs} steps={job.steps} />
            </div>
          </details>
        ))}
      </div>
    </Card>
  );
}
