"use client";

import { useQuery } from "@tanstack/react-query";
import { useTimeZone, useTranslations } from "next-intl";
import { EChart } from "@/components/charts/echart";
import { isTimeZone } from "@/i18n/locales";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { ErrorNote } from "@/components/ui/error-note";
import { useTRPC } from "@/trpc/client";
import { bars } from "./chart-options";

const big = (v: number) =>
  v >= 1e9 ? `${(v / 1e9).toFixed(1)}G` : v >= 1e6 ? `${(v / 1e6).toFixed(1)}M` : v >= 1e3 ? `${(v / 1e3).toFixed(0)}k` : String(Math.round(v));

/** The overview's fleet figures: reads and writes per day, instances by software, IDC and product line. */
export function FleetFigures() {
  const t = useTranslations("monitoringViews");
  const ti = useTranslations("inventory");
  const trpc = useTRPC();
  // days of the page's time zone, like every other time on it
  const timeZone = useTimeZone();
  const q = useQuery(trpc.metrics.fleet.queryOptions(isTimeZone(timeZone) ? { timeZone } : undefined));
  if (q.error) return <ErrorNote error={q.error} />;
  if (!q.data) return null;
  const f = q.data;
  const daily = {
    animation: false,
    grid: { left: 56, right: 16, top: 32, bottom: 28 },
    legend: { top: 0 },
    tooltip: { trigger: "axis", valueFormatter: (v: number) => big(v) },
    xAxis: { type: "category", data: f.daily.map((d) => d.day.slice(5)) },
    yAxis: { type: "value", axisLabel: { formatter: big } },
    series: [
      { name: t("fleet.reads"), type: "bar", stack: "rw", data: f.daily.map((d) => Math.round(d.reads)), color: "#0ea5e9" },
      { name: t("fleet.writes"), type: "bar", stack: "rw", data: f.daily.map((d) => Math.round(d.writes)), color: "#f59e0b" },
    ],
  };
  return (
    <div className="mt-6 grid gap-3 lg:grid-cols-2" data-testid="fleet-figures">
      <Card title={t("fleet.daily")} className="lg:col-span-2" actions={f.dailyIsDemo ? <Badge tone="violet">{t("fleet.demo")}</Badge> : null}>
        {f.daily.length ? <EChart option={daily} height={240} testId="fleet-daily" /> : <p className="text-sm text-slate-500">{t("fleet.noDaily")}</p>}
      </Card>
      <Card title={t("fleet.bySoftware")}>
        <EChart
          option={bars(
            f.bySoftware.map((r) => ti(`software.${r.key}`)),
            f.bySoftware.map((r) => r.n),
            "#4f46e5",
          )}
          height={220}
          testId="fleet-software"
        />
      </Card>
      <Card title={t("fleet.byIdc")}>
        <EChart
          option={bars(
            f.byIdc.map((r) => r.key),
            f.byIdc.map((r) => r.n),
            "#0d9488",
          )}
          height={220}
          testId="fleet-idc"
        />
      </Card>
      <Card title={t("fleet.byProductLine")} className="lg:col-span-2">
        <EChart
          option={bars(
            f.byProductLine.map((r) => r.key),
            f.byProductLine.map((r) => r.n),
            "#6366f1",
            true,
          )}
          height={Math.max(200, f.byProductLine.length * 19 + 40)}
          testId="fleet-lines"
        />
      </Card>
    </div>
  );
}
