import type { EChartsCoreOption } from "echarts/core";
import { toWallClock } from "@/components/charts/zoned-time";

export type Line = { name: string; data: [number, number | null][]; color?: string; dashed?: boolean; area?: boolean };

/** Axis and tooltip numbers: 1.2M, 35k, 812, 0.0042 — small rates keep their significant digits. */
export const fmt = (v: number) =>
  Math.abs(v) >= 1e6
    ? `${(v / 1e6).toFixed(1)}M`
    : Math.abs(v) >= 1e4
      ? `${(v / 1e3).toFixed(0)}k`
      : Math.abs(v) >= 1 || v === 0
        ? `${Math.round(v * 100) / 100}`
        : `${Number(v.toPrecision(2))}`;

/** Time-axis curves with a legend and a tooltip across series, on the page's time zone's clock. */
export function timeLines(lines: Line[], opts: { timeZone: string; max?: number; unit?: string; span?: [number, number] }): EChartsCoreOption {
  const wall = toWallClock(opts.timeZone);
  return {
    animation: false,
    useUTC: true,
    grid: { left: 56, right: 16, top: 32, bottom: 28 },
    legend: { top: 0, type: "scroll" },
    tooltip: { trigger: "axis", valueFormatter: (v: number | null) => (v === null || v === undefined ? "—" : `${fmt(v)}${opts.unit ?? ""}`) },
    // the whole range asked for, not just where data exists: a young service's hour reads as an hour
    xAxis: { type: "time", min: opts.span && wall(opts.span[0]), max: opts.span && wall(opts.span[1]) },
    yAxis: { type: "value", max: opts.max, axisLabel: { formatter: (v: number) => fmt(v) } },
    series: lines.map((l) => ({
      name: l.name,
      type: "line",
      // a few points are dots, or a single one would not show at all
      showSymbol: l.data.length < 30,
      connectNulls: false,
      data: l.data.map(([t, v]) => [wall(t), v]),
      color: l.color,
      lineStyle: { width: 1.6, type: l.dashed ? "dashed" : "solid" },
      areaStyle: l.area ? { opacity: 0.12 } : undefined,
    })),
  };
}

export function bars(categories: string[], values: number[], color = "#6366f1", horizontal = false): EChartsCoreOption {
  const cat = { type: "category", data: categories, axisLabel: { interval: 0, fontSize: 11 } };
  const val = { type: "value", axisLabel: { formatter: (v: number) => fmt(v) } };
  return {
    animation: false,
    grid: { left: horizontal ? 110 : 48, right: 16, top: 12, bottom: horizontal ? 24 : 40 },
    tooltip: { trigger: "axis" },
    xAxis: horizontal ? val : cat,
    yAxis: horizontal ? { ...cat, inverse: true } : val,
    series: [
      {
        type: "bar",
        data: values,
        color,
        label: { show: true, position: horizontal ? "right" : "top", fontSize: 11, formatter: (p: { value: number }) => fmt(p.value) },
      },
    ],
  };
}
