"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { clsx } from "clsx";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTimeZone, useTranslations } from "next-intl";
import { useDeferredValue, useState } from "react";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { ErrorNote } from "@/components/ui/error-note";
import { Field, Input, Select } from "@/components/ui/field";
import { useServerPaging } from "@/components/ui/use-server-paging";
import type { ServiceKind } from "@/generated/prisma/enums";
import { useTRPC } from "@/trpc/client";
import { zoneOffsetLabel } from "@/components/charts/zoned-time";
import { fmtMem, fmtPct, fmtQps, fmtWhen, fmtX } from "./format";
import type { RiskResult, RiskRowT } from "./types";

export const RISK_PAGE_SIZE = 50;
type Tr = ReturnType<typeof useTranslations>;
type Action = NonNullable<RiskRowT["risk"]>["actions"][number];

function actionText(a: Action, t: Tr): string {
  switch (a.kind) {
    case "shards":
      return t("actions.shards", { from: a.from, to: a.to });
    case "split":
      return t("actions.split", { to: a.to, proxies: a.proxies });
    case "proxies":
      return t("actions.proxies", { from: a.from, to: a.to });
    case "memory":
      return t("actions.memory", { from: fmtMem(a.fromMbPerShard), to: fmtMem(a.toMbPerShard) });
  }
}

function noteText(n: Extract<RiskRowT["forecast"], { ok: false }>["note"] | NonNullable<Extract<RiskRowT["forecast"], { ok: true }>["note"]>, t: Tr) {
  if (n.code === "noCurrentData") return t("notes.noCurrentData", { days: n.days });
  if (n.code === "noPromotionData") return t("notes.noPromotionData");
  return t("notes.fallbackMultiple", { multiple: n.multiple.toFixed(2), from: n.from });
}

const HA_KINDS: ServiceKind[] = ["REDIS_SENTINEL", "REDIS_TWEMPROXY", "MEMCACHED_TWEMPROXY"];

/** The new-request form, prefilled with the service as it should be for the promotion. */
function requestHref(r: RiskRowT, target: RiskResult["target"], t: Tr): string | null {
  if (!r.risk || !r.forecast.ok) return null;
  // Shards behind Twemproxy grow in place, with their data: the resize of this service, prefilled.
  if (r.kind === "REDIS_TWEMPROXY" && r.risk.target.kind === "REDIS_TWEMPROXY" && r.risk.target.shards > r.shards)
    return `/inventory/services/${r.id}?resize=${r.risk.target.shards}`;
  const plan = r.risk.actions.map((a) => actionText(a, t)).join(", ");
  const purpose = t("purpose", {
    service: r.name,
    promotion: target.name,
    qps: fmtQps(r.forecast.judgedQps),
    mem: fmtMem(r.forecast.memMb),
    method: r.forecast.reference
      ? `${r.forecast.baseline.qps.toFixed(0)} × ${r.forecast.multiple.qps.toFixed(2)} (${r.forecast.reference.name})`
      : r.forecast.method,
    plan,
  });
  const q = new URLSearchParams({
    productLineId: String(r.productLineId),
    kind: r.risk.target.kind,
    // The forecast itself: the request's sizing adds its own headroom.
    capacityGb: String(Math.max(0.1, Math.ceil(r.forecast.memMb / 102.4) / 10)),
    peakQps: String(Math.ceil(r.forecast.judgedQps)),
    purpose: purpose.slice(0, 500),
    highAvailability: HA_KINDS.includes(r.risk.target.kind) ? "1" : "0",
  });
  return `/requests/new?${q.toString()}`;
}

function LoadBar({ load }: { load: number }) {
  const pct = Math.min(load, 2) / 2;
  return (
    <div className="flex items-center gap-2">
      <div className="relative h-2 w-24 rounded bg-slate-100">
        <div
          className={clsx("absolute inset-y-0 left-0 rounded", load > 1 ? "bg-rose-500" : load > 0.8 ? "bg-amber-400" : "bg-emerald-500")}
          style={{ width: `${pct * 100}%` }}
        />
        <div className="absolute inset-y-[-2px] left-1/2 w-px bg-slate-500" />
      </div>
      <span className={clsx("tabular-nums text-xs", load > 1 && "font-semibold text-rose-700")}>{fmtPct(load, false)}</span>
    </div>
  );
}

export function ForecastView({ targets, initialTarget, canRequest }: { targets: { id: number; name: string }[]; initialTarget: number; canRequest: boolean }) {
  const t = useTranslations("promotions.forecast");
  const timeZone = useTimeZone() ?? "UTC";
  const trpc = useTRPC();
  const router = useRouter();
  const [target, setTarget] = useState(initialTarget);
  const [search, setSearch] = useState("");
  const [atRiskOnly, setAtRiskOnly] = useState(true);
  const typed = useDeferredValue(search);
  const { page, setPage, onFilter } = useServerPaging({ sort: "load", dir: "desc" });
  const q = useQuery({
    ...trpc.promotions.risks.queryOptions({ promotionId: target, search: typed || undefined, atRiskOnly, page, pageSize: RISK_PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  const backtest = useQuery(trpc.promotions.backtest.queryOptions());
  const data = q.data;

  const columns: ColumnDef<RiskRowT>[] = [
    {
      id: "name",
      header: t("service"),
      cell: ({ row }) => (
        <div className="leading-tight">
          <div className="font-medium">{row.original.name}</div>
          <div className="text-xs text-slate-500">{row.original.productLine}</div>
        </div>
      ),
    },
    {
      id: "forecast",
      header: t("forecastQps"),
      cell: ({ row }) => {
        const f = row.original.forecast;
        if (!f.ok) return <span className="text-xs italic text-slate-500">{noteText(f.note, t)}</span>;
        return (
          <div className="leading-tight" title={f.note ? noteText(f.note, t) : undefined}>
            <div className="tabular-nums font-medium">{fmtQps(f.qps)}</div>
            <div className="text-xs tabular-nums text-slate-500">
              = {fmtQps(f.baseline.qps)} × {fmtX(f.multiple.qps)} <span className={f.reference ? "" : "text-amber-700"}>{f.reference?.name ?? t("fleet")}</span>
            </div>
          </div>
        );
      },
    },
    {
      id: "trend",
      header: t("trend"),
      cell: ({ row }) => {
        const f = row.original.forecast;
        return f.ok && f.trend ? (
          <div className="leading-tight" title={`least squares, ${f.trend.points} promotions, ${f.trend.slopePerYear.toFixed(2)}×/year`}>
            <div className="tabular-nums">{fmtQps(f.trend.qps)}</div>
            <div className="text-xs tabular-nums text-slate-500">{fmtX(f.trend.multiple)}</div>
          </div>
        ) : (
          <span className="text-slate-400">{t("noTrend")}</span>
        );
      },
    },
    { id: "capacity", header: t("capacityQps"), cell: ({ row }) => <span className="tabular-nums text-slate-600">{fmtQps(row.original.capacity?.qps)}</span> },
    {
      id: "mem",
      header: t("forecastMem"),
      cell: ({ row }) =>
        row.original.forecast.ok ? (
          <div className="leading-tight">
            <div className="tabular-nums">{fmtMem(row.original.forecast.memMb)}</div>
            <div className="text-xs tabular-nums text-slate-500">
              {t("maxmemory")} {fmtMem(row.original.capacity?.memMb)}
            </div>
          </div>
        ) : null,
    },
    {
      id: "load",
      header: t("load"),
      cell: ({ row }) =>
        row.original.risk ? (
          <LoadBar load={row.original.risk.load} />
        ) : row.original.impossible ? (
          <span className="text-xs text-amber-700">{t("impossible.badge")}</span>
        ) : null,
    },
    {
      id: "action",
      header: t("action"),
      cell: ({ row }) => {
        const r = row.original.risk;
        if (!r) return null;
        return (
          <div className={clsx("max-w-[16rem] whitespace-normal text-xs", r.atRisk ? "text-rose-800" : "text-slate-500")}>
            {r.actions.length ? r.actions.map((a) => <div key={a.kind}>{actionText(a, t)}</div>) : t("actions.none")}
          </div>
        );
      },
    },
    ...(canRequest
      ? [
          {
            id: "request",
            header: "",
            cell: ({ row }) => {
              const href = row.original.risk?.atRisk && data ? requestHref(row.original, data.target, t) : null;
              return href ? (
                <Link href={href} className="rounded bg-indigo-600 px-2 py-1 text-xs font-medium text-white hover:bg-indigo-500" data-testid="risk-request">
                  {t("openRequest")}
                </Link>
              ) : null;
            },
          } satisfies ColumnDef<RiskRowT>,
        ]
      : []),
  ];

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-3 rounded-lg bg-white p-3 shadow-sm ring-1 ring-slate-200">
        <Field label={t("target")}>
          <Select
            value={target}
            onChange={(e) => {
              const id = Number(e.target.value);
              onFilter(setTarget)(id);
              router.replace(`/promotions/forecast?target=${id}`, { scroll: false });
            }}
            data-testid="forecast-target"
          >
            {targets.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t("search")} className="w-64">
          <Input value={search} onChange={(e) => onFilter(setSearch)(e.target.value)} data-testid="forecast-search" />
        </Field>
        <label className="flex items-center gap-2 pb-1.5 text-sm">
          <input type="checkbox" checked={atRiskOnly} onChange={(e) => onFilter(setAtRiskOnly)(e.target.checked)} data-testid="forecast-at-risk-only" />
          {t("atRiskOnly")}
        </label>
        {data ? (
          <div className="ml-auto pb-1.5 text-sm" data-testid="forecast-counts">
            <span className="font-semibold text-rose-700">
              {t("counts", { atRisk: data.counts.atRisk, services: data.counts.services, none: data.counts.noForecast })}
            </span>
            <span className="ml-2 text-slate-500">
              {data.target.name}: {fmtWhen(data.target.startsAt, timeZone)} ({zoneOffsetLabel(timeZone)})
            </span>
          </div>
        ) : null}
      </div>
      {data ? (
        <div className="rounded-lg bg-slate-50 px-4 py-3 text-xs leading-relaxed text-slate-600 ring-1 ring-slate-200">
          <span className="font-semibold text-slate-800">{t("method")}: </span>
          {t("methodText", {
            days: data.settings.baselineDays,
            redis: fmtQps(data.ceilings.redisQpsPerShard),
            mc: fmtQps(data.ceilings.memcachedQpsPerNode),
            proxy: fmtQps(data.ceilings.proxyQps),
            usable: fmtPct(1 - data.settings.headroom, false),
            headroom: fmtPct(data.settings.headroom, false),
          })}{" "}
          {data.fallback ? t("fallback", { from: data.fallback.from, multiple: data.fallback.multiple.qps.toFixed(2) }) : null}
        </div>
      ) : null}
      {data?.impossible.length ? (
        <div role="status" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200" data-testid="forecast-impossible">
          <p className="font-medium">{t("impossible.title", { count: data.impossible.length })}</p>
          <ul className="mt-1 list-disc pl-5">
            {data.impossible.map((x) => (
              <li key={x.id}>{t("impossible.row", { name: x.name, field: t(`impossible.fields.${x.field}`), value: x.value })}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <ErrorNote error={q.error} />
      <DataTable
        columns={columns}
        rows={data?.rows ?? []}
        total={data?.total ?? 0}
        page={page}
        pageSize={RISK_PAGE_SIZE}
        onPage={setPage}
        loading={q.isFetching}
        rowTestId={() => "risk-row"}
      />
      <Card title={t("backtest")}>
        <p className="mb-2 text-xs text-slate-500">{t("backtestText")}</p>
        <ErrorNote error={backtest.error} />
        <table className="min-w-full text-sm" data-testid="backtest-table">
          <thead className="text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
            <tr>
              <th className="py-1.5 pr-4">{t("promotion")}</th>
              <th className="py-1.5 pr-4 text-right">{t("withData")}</th>
              <th className="py-1.5 pr-4 text-right">{t("predicted")}</th>
              <th className="py-1.5 pr-4 text-right">{t("medianError")}</th>
              <th className="py-1.5 pr-4 text-right">{t("meanAbsError")}</th>
              <th className="py-1.5 pr-4 text-right">{t("within20")}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {backtest.data?.map((b) => (
              <tr key={b.id}>
                <td className="py-1.5 pr-4 font-medium">{b.name}</td>
                <td className="py-1.5 pr-4 text-right tabular-nums">{b.servicesWithData}</td>
                <td className="py-1.5 pr-4 text-right tabular-nums">
                  {b.predicted || <span className="text-xs italic text-slate-400">{t("nothingBefore")}</span>}
                </td>
                <td className="py-1.5 pr-4 text-right tabular-nums">{fmtPct(b.medianError)}</td>
                <td className="py-1.5 pr-4 text-right tabular-nums">{fmtPct(b.meanAbsError, false)}</td>
                <td className="py-1.5 pr-4 text-right tabular-nums">{fmtPct(b.within20, false)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
    </div>
  );
}
