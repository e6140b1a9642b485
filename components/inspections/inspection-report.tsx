"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { clsx } from "clsx";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { Badge, type Tone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ErrorNote } from "@/components/ui/error-note";
import { useTRPC } from "@/trpc/client";

type Severity = "CRITICAL" | "WARNING" | "INFO";
const SEVERITIES: Severity[] = ["CRITICAL", "WARNING", "INFO"];
const TONE: Record<Severity, Tone> = { CRITICAL: "red", WARNING: "amber", INFO: "slate" };
type Params = Record<string, string | number>;

/** The latest inspection (or a chosen one): counts by severity and check, the findings with where and how to fix, a fix where safe. */
export function InspectionReportView({ canWrite, initialRunId }: { canWrite: boolean; initialRunId: number | null }) {
  const t = useTranslations("inspections");
  const tc = useTranslations("common");
  const format = useFormatter();
  const trpc = useTRPC();
  const [runId, setRunId] = useState<number | null>(initialRunId);
  const [severity, setSeverity] = useState<Severity | null>(null);
  const [code, setCode] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  const runs = useQuery(trpc.inspections.runs.queryOptions(undefined, { refetchInterval: (q) => (q.state.data?.some((r) => !r.finishedAt) ? 2000 : false) }));
  const report = useQuery({
    ...trpc.inspections.report.queryOptions(
      { runId, severity, code, page },
      { refetchInterval: (q) => (q.state.data && !q.state.data.run.finishedAt ? 2000 : false) },
    ),
    placeholderData: (p) => p,
  });
  const start = useMutation(
    trpc.inspections.start.mutationOptions({
      onSuccess: (r) => {
        setRunId(r.id);
        setPage(1);
        void runs.refetch();
      },
    }),
  );
  const fix = useMutation(trpc.inspections.fix.mutationOptions({ onSuccess: () => void report.refetch() }));
  const r = report.data;
  const counts = (r?.run.counts ?? {}) as Partial<Record<Severity, number>>;
  const pages = r ? Math.max(1, Math.ceil(r.total / r.pageSize)) : 1;
  const running = !!r && !r.run.finishedAt;
  const pick = (s: Severity | null, c: string | null) => {
    setSeverity(s);
    setCode(c);
    setPage(1);
  };
  return (
    <div className="space-y-4" data-testid="inspection-report">
      <div className="flex flex-wrap items-center gap-3">
        {canWrite ? (
          <Button variant="primary" onClick={() => start.mutate()} disabled={start.isPending || running} data-testid="inspect-now">
            {running ? t("running") : t("runNow")}
          </Button>
        ) : null}
        {r ? (
          <span className="text-sm text-slate-600" data-testid="inspection-run">
            {t("run", { id: r.run.id })} · {t(`trigger.${r.run.trigger as "DAILY" | "MANUAL"}`)} ·{" "}
            {t("startedAt", { at: format.dateTime(new Date(r.run.startedAt), { dateStyle: "short", timeStyle: "short" }) })} ·{" "}
            {r.run.finishedAt ? t("scope", { instances: r.run.instances, services: r.run.services }) : t("unfinished")}
          </span>
        ) : null}
      </div>
      <ErrorNote error={report.error ?? start.error ?? fix.error} />
      {r?.run.error ? <p className="text-sm text-red-700">{t("failed", { error: r.run.error })}</p> : null}
      {report.data === null ? <p className="text-sm text-slate-500">{t("none")}</p> : null}
      {r ? (
        <>
          <div className="grid grid-cols-3 gap-3 sm:max-w-xl">
            {SEVERITIES.map((s) => (
              <button
                key={s}
                type="button"
                onClick={() => pick(severity === s ? null : s, null)}
                className={clsx("rounded-lg p-3 text-left ring-1", severity === s ? "ring-2 ring-indigo-500" : "ring-slate-200", "bg-white")}
                data-testid={`severity-${s}`}
              >
                <div className="text-xs text-slate-500">{t(`severity.${s}`)}</div>
                <div className={clsx("text-2xl font-semibold", s === "CRITICAL" ? "text-red-700" : s === "WARNING" ? "text-amber-700" : "text-slate-700")}>
                  {counts[s] ?? 0}
                </div>
              </button>
            ))}
          </div>
          <Card title={t("byCheck")}>
            <div className="flex flex-wrap gap-2" data-testid="inspection-by-check">
              <Button variant={code === null && severity === null ? "primary" : "secondary"} onClick={() => pick(null, null)}>
                {t("all")}
              </Button>
              {r.byCode.map((c) => (
                <Button
                  key={`${c.code}-${c.severity}`}
                  variant={code === c.code ? "primary" : "secondary"}
                  onClick={() => pick(null, c.code)}
                  data-testid={`check-${c.code}`}
                >
                  <Badge tone={TONE[c.severity as Severity]}>{c.count}</Badge> {t(`checks.${c.code}` as "checks.configDrift")}
                </Button>
              ))}
            </div>
          </Card>
          <Card title={`${t("findings")} (${r.total})`}>
            {r.findings.length === 0 ? (
              <p className="text-sm text-slate-500">{t("noFindings")}</p>
            ) : (
              <ul className="divide-y divide-slate-100" data-testid="inspection-findings">
                {r.findings.map((f) => {
                  const params = f.params as Params;
                  const key = f.code as "configDrift";
                  return (
                    <li key={f.id} className="flex items-start justify-between gap-3 py-2 text-sm" data-testid="inspection-finding" data-code={f.code}>
                      <div>
                        <div className="flex items-center gap-2">
                          <Badge tone={TONE[f.severity as Severity]}>{t(`severity.${f.severity as Severity}`)}</Badge>
                          <span className="font-medium">{t(`checks.${key}`)}</span>
                        </div>
                        <div className="mt-1 text-slate-700">{t(`what.${key}`, params)}</div>
                        <div className="text-xs text-slate-500">{t(`how.${key}`)}</div>
                      </div>
                      {f.fixedAt ? (
                        <Badge tone="green">{t("fixed")}</Badge>
                      ) : f.fixable && canWrite ? (
                        <Button
                          title={t("fixTitle")}
                          disabled={fix.isPending}
                          onClick={() => window.confirm(t("confirmFix", { instance: String(params.instance ?? "") })) && fix.mutate({ findingId: f.id })}
                          data-testid="inspection-fix"
                        >
                          {t("fix")}
                        </Button>
                      ) : null}
                    </li>
                  );
                })}
              </ul>
            )}
            {pages > 1 ? (
              <div className="mt-2 flex items-center gap-2 text-sm">
                <Button disabled={page <= 1} onClick={() => setPage(page - 1)}>
                  {t("prev")}
                </Button>
                <span>{t("page", { page, pages })}</span>
                <Button disabled={page >= pages} onClick={() => setPage(page + 1)}>
                  {t("next")}
                </Button>
              </div>
            ) : null}
          </Card>
        </>
      ) : report.isLoading ? (
        <p className="text-sm text-slate-500">{tc("loading")}</p>
      ) : null}
      {runs.data && runs.data.length > 1 ? (
        <Card title={t("previousRuns")}>
          <ul className="space-y-1 text-sm">
            {runs.data.map((x) => {
              const c = x.counts as Partial<Record<Severity, number>>;
              return (
                <li key={x.id}>
                  <button type="button" className="text-indigo-700 hover:underline" onClick={() => (setRunId(x.id), pick(null, null))}>
                    {t("run", { id: x.id })}
                  </button>{" "}
                  · {t(`trigger.${x.trigger as "DAILY" | "MANUAL"}`)} · {format.dateTime(new Date(x.startedAt), { dateStyle: "short", timeStyle: "short" })} ·{" "}
                  {SEVERITIES.map((s) => `${t(`severity.${s}`)} ${c[s] ?? 0}`).join(" / ")}
                </li>
              );
            })}
          </ul>
        </Card>
      ) : null}
    </div>
  );
}
