"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useFormatter, useTimeZone, useTranslations } from "next-intl";
import { useState } from "react";
import { EChart } from "@/components/charts/echart";
import { timeLines } from "@/components/monitoring/chart-options";
import { liveInterval, RangePicker, type Range } from "@/components/monitoring/range-picker";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ErrorNote } from "@/components/ui/error-note";
import { useTRPC } from "@/trpc/client";

const n1 = (v: number | null | undefined) => (v === null || v === undefined ? "—" : `${Math.round(v * 10) / 10}`);

/** The host's measured figures (last collection), what it reported about itself, and charts over a range. */
export function HostMetricsCard({ hostId, canWrite }: { hostId: number; canWrite: boolean }) {
  const t = useTranslations("hostMetrics");
  const format = useFormatter();
  const timeZone = useTimeZone() ?? "UTC";
  const trpc = useTRPC();
  const [range, setRange] = useState<Range>({ preset: "1d" });
  const now = useQuery(trpc.hostMetrics.now.queryOptions({ hostId }, { refetchInterval: 30_000 }));
  const series = useQuery({ ...trpc.hostMetrics.series.queryOptions({ hostId, range }, { refetchInterval: liveInterval(range) }), placeholderData: (p) => p });
  const collect = useMutation(
    trpc.hostMetrics.collect.mutationOptions({
      onSuccess: () => {
        void now.refetch();
        void series.refetch();
      },
    }),
  );
  const last = now.data?.last;
  const facts = now.data?.facts ?? {};
  const s = series.data;
  const span: [number, number] | undefined = s ? [new Date(s.from).getTime(), new Date(s.to).getTime()] : undefined;
  const line = (f: (p: NonNullable<typeof s>["points"][number]) => number | null) => (s?.points ?? []).map((p) => [p.t, f(p)] as [number, number | null]);
  const charts = s
    ? [
        {
          key: "cpu",
          option: timeLines(
            [
              { name: t("cpuAvg"), data: line((p) => p.cpuPct), color: "#4f46e5", area: true },
              { name: t("cpuMax"), data: line((p) => p.cpuPctMax), color: "#a5b4fc", dashed: true },
            ],
            { max: 100, unit: " %", span, timeZone },
          ),
        },
        { key: "load", option: timeLines([{ name: t("load1"), data: line((p) => p.load1), color: "#0d9488" }], { span, timeZone }) },
        {
          key: "memory",
          option: timeLines(
            [
              { name: t("memUsed"), data: line((p) => (p.memUsedMb === null ? null : p.memUsedMb / 1024)), color: "#4f46e5", area: true },
              { name: t("memTotal"), data: line((p) => (p.memTotalMb === null ? null : p.memTotalMb / 1024)), color: "#e11d48", dashed: true },
            ],
            { unit: " GB", span, timeZone },
          ),
        },
        {
          key: "disk",
          option: timeLines(
            [
              { name: t("dataFree"), data: line((p) => p.dataDiskFreeGb), color: "#f59e0b" },
              { name: t("logFree"), data: line((p) => p.logDiskFreeGb), color: "#64748b" },
            ],
            { unit: " GB", span, timeZone },
          ),
        },
        {
          key: "network",
          option: timeLines(
            [
              { name: t("netIn"), data: line((p) => p.netInMbps), color: "#0ea5e9" },
              { name: t("netOut"), data: line((p) => p.netOutMbps), color: "#16a34a" },
            ],
            { unit: " Mbps", span, timeZone },
          ),
        },
      ]
    : [];
  return (
    <Card
      title={t("title")}
      className="mt-4"
      actions={
        canWrite ? (
          <Button onClick={() => collect.mutate({ hostId })} disabled={collect.isPending} data-testid="host-metrics-collect">
            {t("collectNow")}
          </Button>
        ) : null
      }
    >
      <div data-testid="host-metrics">
        <ErrorNote error={now.error ?? series.error ?? collect.error} />
        {now.data?.error ? <p className="mb-2 text-sm text-red-700">{t("lastError", { error: now.data.error })}</p> : null}
        {collect.data && !collect.data.up ? <p className="mb-2 text-sm text-red-700">{t("lastError", { error: collect.data.error ?? "" })}</p> : null}
        {last ? (
          <dl className="mb-3 grid grid-cols-2 gap-x-6 gap-y-1 text-sm sm:grid-cols-4" data-testid="host-metrics-now">
            <dt className="text-slate-500">{t("cpu")}</dt>
            <dd>{n1(last.cpuPct)} %</dd>
            <dt className="text-slate-500">{t("load")}</dt>
            <dd>
              {n1(last.load1)} / {n1(last.load5)} / {n1(last.load15)}
            </dd>
            <dt className="text-slate-500">{t("memory")}</dt>
            <dd>
              {n1(last.memUsedMb === null ? null : last.memUsedMb / 1024)} / {n1(last.memTotalMb === null ? null : last.memTotalMb / 1024)} GB
            </dd>
            <dt className="text-slate-500">{t("network")}</dt>
            <dd>
              ↓ {n1(last.netInMbps)} ↑ {n1(last.netOutMbps)} Mbps
            </dd>
            <dt className="text-slate-500">{t("dataDisk")}</dt>
            <dd data-testid="host-metrics-data-free">{t("freeOf", { free: n1(last.dataDiskFreeGb), total: n1(last.dataDiskTotalGb) })}</dd>
            <dt className="text-slate-500">{t("logDisk")}</dt>
            <dd>{t("freeOf", { free: n1(last.logDiskFreeGb), total: n1(last.logDiskTotalGb) })}</dd>
            <dt className="text-slate-500">{t("at")}</dt>
            <dd>{format.dateTime(new Date(last.at), { dateStyle: "short", timeStyle: "medium" })}</dd>
          </dl>
        ) : (
          <p className="mb-3 text-sm text-slate-500">{t("none")}</p>
        )}
        {Object.keys(facts).length ? (
          <dl className="mb-3 grid grid-cols-[8rem_1fr] gap-y-1 text-sm" data-testid="host-metrics-facts">
            {Object.entries(facts).map(([k, v]) => (
              <div key={k} className="contents">
                <dt className="text-slate-500">{t(`facts.${k as "kernel" | "os" | "cpuModel" | "productModel"}`)}</dt>
                <dd className="font-mono text-xs">{v}</dd>
              </div>
            ))}
          </dl>
        ) : null}
        <div className="mb-2 flex flex-wrap items-center gap-3">
          <RangePicker value={range} onChange={setRange} />
          {s ? <span className="text-xs text-slate-500">{t(`resolution.${s.resolution}`, { step: s.stepSeconds })}</span> : null}
        </div>
        <div className="grid gap-4 lg:grid-cols-2" data-testid="host-metrics-charts" data-points={s?.points.length ?? 0}>
          {charts.map((c) => (
            <div key={c.key}>
              <div className="mb-1 text-xs font-medium text-slate-600">{t(`charts.${c.key}`)}</div>
              <EChart option={c.option} height={200} testId={`host-chart-${c.key}`} />
            </div>
          ))}
        </div>
      </div>
    </Card>
  );
}
