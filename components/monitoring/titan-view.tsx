"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useFormatter, useTimeZone, useTranslations } from "next-intl";
import { useState } from "react";
import { EChart } from "@/components/charts/echart";
import { bars } from "./chart-options";
import { Card, PageHeader } from "@/components/ui/card";
import { ErrorNote } from "@/components/ui/error-note";
import { useTRPC } from "@/trpc/client";
import { RangePicker, liveInterval, type Range } from "./range-picker";
import { heatmapOption, topologyOption } from "./titan-charts";

/** Titan, the full-link view of a service. */
export function TitanView({ serviceId }: { serviceId: number }) {
  const t = useTranslations("monitoringViews");
  const tc = useTranslations("common");
  const format = useFormatter();
  const timeZone = useTimeZone() ?? "UTC";
  const trpc = useTRPC();
  const [range, setRange] = useState<Range>({ preset: "1h" });
  const q = useQuery({ ...trpc.metrics.titan.queryOptions({ serviceId, range }, { refetchInterval: liveInterval(range) }), placeholderData: (prev) => prev });
  if (q.error) return <ErrorNote error={q.error} />;
  if (!q.data) return <p className="text-slate-500">{tc("loading")}</p>;
  const v = q.data;
  const none = <p className="text-sm text-slate-500">{t("titan.none")}</p>;
  const us = (n: number) => format.number(Math.round(n));
  return (
    <div data-testid="titan">
      <PageHeader
        title={t("titan.title", { service: v.service.name })}
        subtitle={t("titan.subtitle")}
        actions={
          <>
            <RangePicker value={range} onChange={setRange} />
            <Link href={`/inventory/services/${serviceId}`} className="text-sm text-indigo-700 hover:underline">
              ← {t("titan.back")}
            </Link>
          </>
        }
      />
      <div className="grid gap-4">
        <Card title={t("titan.heatmap")}>
          <p className="mb-2 text-xs text-slate-500">
            {t("titan.heatmapHint")} {t(`resolution.${v.heatmap.resolution}`, { step: v.heatmap.stepSeconds })}
          </p>
          {v.heatmap.cells.length ? (
            <EChart option={heatmapOption(v.heatmap, (b) => t("titan.bucket", { us: us(b) }), timeZone)} height={300} testId="titan-heatmap" />
          ) : (
            none
          )}
        </Card>
        <div className="grid gap-4 lg:grid-cols-2">
          <Card title={t("titan.hot")}>
            {v.hotCommands.length ? (
              <EChart
                option={bars(
                  v.hotCommands.map((c) => c.command),
                  v.hotCommands.map((c) => Math.round(c.calls)),
                  "#4f46e5",
                  true,
                )}
                height={Math.max(160, v.hotCommands.length * 24)}
                testId="titan-hot"
              />
            ) : (
              none
            )}
          </Card>
          <Card title={t("titan.slow")}>
            {v.slowCommands.length ? (
              <EChart
                option={bars(
                  v.slowCommands.map((c) => c.command),
                  v.slowCommands.map((c) => Math.round(c.usecPerCall * 10) / 10),
                  "#dc2626",
                  true,
                )}
                height={Math.max(160, v.slowCommands.length * 24)}
                testId="titan-slow"
              />
            ) : (
              none
            )}
          </Card>
        </div>
        <Card title={t("titan.slowlog")}>
          {v.slowlog.length ? (
            <table className="w-full text-sm" data-testid="titan-slowlog">
              <thead className="text-left text-xs text-slate-500">
                <tr>
                  <th className="py-1 pr-3">{t("titan.at")}</th>
                  <th className="pr-3">{t("titan.instance")}</th>
                  <th className="pr-3 text-right">{t("titan.duration")}</th>
                  <th className="pr-3">{t("titan.args")}</th>
                  <th>{t("titan.client")}</th>
                </tr>
              </thead>
              <tbody>
                {v.slowlog.map((e) => (
                  <tr key={e.id} className="border-t border-slate-100">
                    <td className="whitespace-nowrap py-1 pr-3 text-slate-500">
                      {format.dateTime(new Date(e.at), { dateStyle: "short", timeStyle: "medium" })}
                    </td>
                    <td className="pr-3 font-mono">{e.instance}</td>
                    <td className="pr-3 text-right tabular-nums">{us(e.durationUs)}</td>
                    <td className="max-w-[36rem] truncate pr-3 font-mono" title={[e.command, ...e.args].join(" ")}>
                      {[e.command, ...e.args].join(" ")}
                    </td>
                    <td className="font-mono">
                      {e.clientAddr ?? "—"}
                      {e.clientName ? ` (${e.clientName})` : ""}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            none
          )}
        </Card>
        <Card title={t("titan.sources")}>
          {v.service.proxied ? (
            <p className="mb-3 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200" data-testid="titan-proxy-note">
              {t("titan.proxyNote")}
            </p>
          ) : null}
          {v.sources.length ? (
            <table className="w-full text-sm" data-testid="titan-sources">
              <thead className="text-left text-xs text-slate-500">
                <tr>
                  <th className="py-1 pr-3">{t("titan.clientIp")}</th>
                  <th className="pr-3 text-right">{t("titan.connections")}</th>
                  <th className="pr-3">{t("titan.host")}</th>
                  <th>{t("titan.lines")}</th>
                </tr>
              </thead>
              <tbody>
                {v.sources.map((s) => (
                  <tr key={s.clientIp} className="border-t border-slate-100" data-testid="titan-source">
                    <td className="py-1 pr-3 font-mono">{s.clientIp}</td>
                    <td className="pr-3 text-right tabular-nums">{s.connections}</td>
                    <td className="pr-3">
                      {s.host ? `${s.host.hostname} (${s.host.idc})` : <span className="text-slate-400">{t("titan.unknownHost")}</span>}
                      {s.ownProxy ? <span className="ml-2 text-xs text-amber-700">{t("titan.ownProxy")}</span> : null}
                    </td>
                    <td>{s.productLines.map((l) => l.code).join(", ") || "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            none
          )}
        </Card>
        <Card title={t("titan.topology")}>
          <EChart
            option={topologyOption(v.topology, (c) => t(`titan.categories.${c}`))}
            height={Math.max(260, (Math.max(...v.topology.nodes.map((n) => n.y), 0) / 60 + 2) * 36)}
            testId="titan-topology"
          />
        </Card>
      </div>
    </div>
  );
}
