import type { EChartsCoreOption } from "echarts/core";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";
import { toWallClock } from "@/components/charts/zoned-time";
import { fmt } from "./chart-options";

type Titan = inferRouterOutputs<AppRouter>["metrics"]["titan"];

/** A column's label on the page's zone's clock, as fine as the step needs. */
const clock = (t: number, step: number, timeZone: string) => {
  const d = new Date(toWallClock(timeZone)(t));
  const two = (n: number) => String(n).padStart(2, "0");
  return step >= 86_400
    ? `${d.getUTCMonth() + 1}-${two(d.getUTCDate())}`
    : step >= 3600
      ? `${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}h`
      : `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}${step < 60 ? `:${two(d.getUTCSeconds())}` : ""}`;
};

/** Time across, latency buckets up, request counts as colour (log-ish via piecewise max). */
export function heatmapOption(h: Titan["heatmap"], bucketLabel: (us: number) => string, timeZone: string): EChartsCoreOption {
  const max = h.cells.reduce((m, c) => Math.max(m, c[2]), 1);
  return {
    animation: false,
    grid: { left: 90, right: 24, top: 10, bottom: 90 },
    tooltip: { position: "top" },
    xAxis: { type: "category", data: h.times.map((t) => clock(t, h.stepSeconds, timeZone)), splitArea: { show: true } },
    yAxis: { type: "category", data: h.bounds.map(bucketLabel), splitArea: { show: true } },
    visualMap: {
      min: 0,
      max,
      calculable: true,
      orient: "horizontal",
      left: "center",
      bottom: 0,
      itemHeight: 240,
      formatter: (v: number) => fmt(v),
      inRange: { color: ["#eef2ff", "#818cf8", "#f59e0b", "#dc2626"] },
    },
    series: [{ type: "heatmap", data: h.cells, emphasis: { itemStyle: { borderColor: "#000", borderWidth: 1 } } }],
  };
}

const COLORS = { productLine: "#4f46e5", proxy: "#0ea5e9", shard: "#16a34a", replica: "#84cc16", sentinel: "#a855f7" } as const;

export function topologyOption(topo: Titan["topology"], categoryLabel: (c: keyof typeof COLORS) => string): EChartsCoreOption {
  const cats = Object.keys(COLORS) as (keyof typeof COLORS)[];
  return {
    animation: false,
    legend: { data: cats.map(categoryLabel), top: 0 },
    tooltip: {},
    series: [
      {
        type: "graph",
        layout: "none",
        top: 40,
        bottom: 20,
        left: 90,
        right: 160,
        roam: true,
        symbolSize: 16,
        label: { show: true, position: "right", fontSize: 11 },
        edgeSymbol: ["none", "arrow"],
        edgeSymbolSize: 6,
        lineStyle: { color: "#94a3b8", opacity: 0.7, curveness: 0.08 },
        categories: cats.map((c) => ({ name: categoryLabel(c), itemStyle: { color: COLORS[c] } })),
        data: topo.nodes.map((n) => ({
          id: n.id,
          name: n.name,
          x: n.x,
          y: n.y,
          category: cats.indexOf(n.category),
          symbol: n.category === "productLine" ? "roundRect" : "circle",
          itemStyle: n.up ? undefined : { color: "#dc2626" },
        })),
        links: topo.links,
      },
    ],
  };
}
