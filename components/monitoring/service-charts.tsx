"use client";

import { useQuery } from "@tanstack/react-query";
import { useTimeZone, useTranslations } from "next-intl";
import { EChart } from "@/components/charts/echart";
import { Badge } from "@/components/ui/badge";
import { ErrorNote } from "@/components/ui/error-note";
import { useTRPC } from "@/trpc/client";
import { timeLines } from "./chart-options";
import { liveInterval, type Range } from "./range-picker";

/** QPS, memory vs maxmemory, clients, hit ratio, evictions and latency of one service over a range. */
export function ServiceCharts({ serviceId, range }: { serviceId: number; range: Range }) {
  const t = useTranslations("monitoringViews");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const timeZone = useTimeZone() ?? "UTC";
  const live = liveInterval(range);
  const q = useQuery({ ...trpc.metrics.series.queryOptions({ serviceId, range }, { refetchInterval: live }), placeholderData: (prev) => prev });
  if (q.error) return <ErrorNote error={q.error} />;
  if (!q.data) return <p className="text-sm text-slate-500">{tc("loading")}</p>;
  const s = q.data;
  const pts = s.points;
  const span: [number, number] = [new Date(s.from).getTime(), new Date(s.to).getTime()];
  const line = (f: (p: (typeof pts)[number]) => number | null) => pts.map((p) => [p.t, f(p)] as [number, number | null]);
  const charts = [
    {
      key: "qps",
      option: timeLines(
        [
          { name: t("series.ops"), data: line((p) => p.ops), color: "#4f46e5", area: true },
          ...(s.resolution === "raw" ? [] : [{ name: t("series.opsPeak"), data: line((p) => p.opsPeak), color: "#a5b4fc", dashed: true }]),
          { name: t("series.reads"), data: line((p) => p.reads), color: "#0ea5e9" },
          { name: t("series.writes"), data: line((p) => p.writes), color: "#f59e0b" },
        ],
        { span, timeZone },
      ),
    },
    {
      key: "memory",
      option: timeLines(
        [
          { name: t("series.used"), data: line((p) => p.usedMb), color: "#4f46e5", area: true },
          { name: t("series.max"), data: line((p) => p.maxMb), color: "#e11d48", dashed: true },
        ],
        { span, timeZone },
      ),
    },
    { key: "clients", option: timeLines([{ name: t("series.clients"), data: line((p) => p.clients), color: "#0d9488" }], { span, timeZone }) },
    {
      key: "hitRatio",
      option: timeLines([{ name: t("series.hitRatio"), data: line((p) => (p.hitRatio === null ? null : p.hitRatio * 100)), color: "#16a34a" }], {
        max: 100,
        unit: " %",
        span,
        timeZone,
      }),
    },
    {
      key: "evictions",
      option: timeLines([{ name: t("series.evictions"), data: line((p) => p.evictionsPerSec), color: "#dc2626", area: true }], { span, timeZone }),
    },
    {
      key: "latency",
      option: timeLines(
        [
          { name: t("series.p50"), data: line((p) => p.p50Us), color: "#16a34a" },
          { name: t("series.p99"), data: line((p) => p.p99Us), color: "#f59e0b" },
          { name: t("series.p999"), data: line((p) => p.p999Us), color: "#dc2626" },
        ],
        { unit: " µs", span, timeZone },
      ),
    },
  ];
  return (
    <div data-testid="service-charts" data-resolution={s.resolution} data-points={pts.length}>
      <div className="mb-2 flex flex-wrap items-center gap-2 text-xs text-slate-500">
        <span data-testid="chart-resolution">{t(`resolution.${s.resolution}`, { step: s.stepSeconds })}</span>
        {live ? <Badge tone="green">● {t("live")}</Badge> : null}
        {s.demo ? <Badge tone="violet">{t("demoData")}</Badge> : null}
      </div>
      {pts.length === 0 ? (
        <p className="mb-3 rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-600" data-testid="charts-empty">
          {t("noData")}
        </p>
      ) : null}
      <div className="grid gap-3 lg:grid-cols-2 2xl:grid-cols-3">
        {charts.map((c) => (
          <div key={c.key} className="rounded-lg bg-white p-3 shadow-sm ring-1 ring-slate-200">
            <h3 className="mb-1 text-sm font-semibold text-slate-700">{t(`charts.${c.key}`)}</h3>
            <EChart option={c.option} height={220} testId={`chart-${c.key}`} />
          </div>
        ))}
      </div>
    </div>
  );
}
