"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { EChart } from "@/components/charts/echart";
import { Card } from "@/components/ui/card";
import { ErrorNote } from "@/components/ui/error-note";
import { useTRPC } from "@/trpc/client";
import { fmtInt, fmtMem, fmtPct, fmtQps } from "./format";
import type { OverlayResult } from "./types";

type Metric = "qps" | "memMb" | "clients";
const COLORS = ["#4f46e5", "#e11d48", "#059669", "#d97706", "#0891b2", "#7c3aed"];
const FORMAT: Record<Metric, (v: number) => string> = { qps: fmtQps, memMb: fmtMem, clients: fmtInt };

/** Rounded up to two significant digits, so the top tick reads like the others. */
const niceCeil = (x: number) => {
  const step = 10 ** (Math.floor(Math.log10(x)) - 1);
  return Math.ceil(x / step) * step;
};

/** The chart option: one line per promotion on hours from its start, windows shaded, capacity as lines. */
function overlayOption(data: OverlayResult, metric: Metric, t: ReturnType<typeof useTranslations>) {
  const cap = data.capacity ? (metric === "qps" ? data.capacity.qps : metric === "memMb" ? data.capacity.memMb : null) : null;
  const usable = cap === null ? null : cap * (1 - data.headroom);
  return {
    color: COLORS,
    animation: false,
    tooltip: { trigger: "axis", valueFormatter: (v: number) => FORMAT[metric](v) },
    legend: { top: 0 },
    grid: { left: 70, right: 30, top: 40, bottom: 50 },
    xAxis: {
      type: "value",
      name: t("hoursFromStart"),
      nameLocation: "middle",
      nameGap: 28,
      axisLabel: { formatter: (h: number) => `${h > 0 ? "+" : ""}${h}h` },
    },
    // Up to the capacity line even when the curves stay far below it: the gap is the point.
    yAxis: {
      type: "value",
      max: cap === null ? undefined : (v: { max: number }) => niceCeil(Math.max(v.max, cap) * 1.05),
      axisLabel: { formatter: (v: number) => FORMAT[metric](v) },
    },
    dataZoom: [{ type: "inside" }],
    series: data.curves.map((c, i) => ({
      name: c.name,
      type: "line",
      showSymbol: false,
      smooth: false,
      lineStyle: { width: 1.6 },
      data: c.points.map((p) => [p.h, p[metric]]),
      markArea: {
        silent: true,
        itemStyle: { color: COLORS[i % COLORS.length], opacity: 0.07 },
        data: [[{ xAxis: 0, name: i === 0 ? t("window", { name: c.name }) : "" }, { xAxis: c.windowHours }]],
      },
      markLine:
        i === 0 && cap !== null && usable !== null
          ? {
              silent: true,
              symbol: "none",
              data: [
                {
                  yAxis: cap,
                  lineStyle: { color: "#dc2626", type: "solid" },
                  label: { position: "insideEndTop", formatter: t("capacity", { value: FORMAT[metric](cap) }), color: "#dc2626" },
                },
                {
                  yAxis: usable,
                  lineStyle: { color: "#d97706", type: "dashed" },
                  label: {
                    position: "insideEndTop",
                    formatter: t("usable", { headroom: fmtPct(data.headroom, false), value: FORMAT[metric](usable) }),
                    color: "#b45309",
                  },
                },
              ],
            }
          : undefined,
    })),
  };
}

export function OverlayView({ serviceId, promotionIds }: { serviceId: number; promotionIds: number[] }) {
  const t = useTranslations("promotions.overlay");
  const trpc = useTRPC();
  const [metric, setMetric] = useState<Metric>("qps");
  const q = useQuery(trpc.promotions.overlay.queryOptions({ serviceId, promotionIds }));
  const data = q.data;
  return (
    <div className="space-y-3">
      <ErrorNote error={q.error} />
      {data ? (
        <Card
          title={t("title", { service: data.service.name })}
          actions={
            <div className="flex overflow-hidden rounded-md ring-1 ring-slate-300">
              {(["qps", "memMb", "clients"] as const).map((m) => (
                <button
                  key={m}
                  type="button"
                  onClick={() => setMetric(m)}
                  className={`px-3 py-1 text-xs ${metric === m ? "bg-slate-800 text-white" : "bg-white text-slate-700"}`}
                  data-testid={`overlay-metric-${m}`}
                >
                  {t(m)}
                </button>
              ))}
            </div>
          }
        >
          <p className="mb-2 text-xs text-slate-500">{t("subtitle")}</p>
          <EChart option={overlayOption(data, metric, t)} height={420} testId="overlay-chart" />
          <ul className="mt-3 flex flex-wrap gap-x-6 gap-y-1 text-sm">
            {data.curves.map((c, i) => (
              <li key={c.promotionId} style={{ color: COLORS[i % COLORS.length] }}>
                {c.peak ? `${c.name}: ${t("peak", { value: FORMAT[metric](c.peak[metric]) })}` : t("noSamples", { name: c.name })}
              </li>
            ))}
            {!data.capacity ? <li className="text-slate-500">{t("noCapacity")}</li> : null}
          </ul>
        </Card>
      ) : null}
      <Link href={`/promotions/compare?p=${promotionIds.join(",")}`} className="text-sm text-indigo-700 hover:underline">
        ← {t("back")}
      </Link>
    </div>
  );
}
