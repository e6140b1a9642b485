"use client";

import { useTranslations } from "next-intl";
import { EChart } from "@/components/charts/echart";
import { Card, Stat } from "@/components/ui/card";
import { useText } from "@/components/ui/use-text";
import { SkippedHostsNote } from "./skipped-hosts";
import type { CapacityResult } from "./types";

/** How many more fit, where (per IDC, per rack, per host), and why the other hosts take none. */
export function CapacityResultView({ r }: { r: CapacityResult }) {
  const t = useTranslations("capacity");
  const say = useText();
  const racks = [...r.perRack].sort((a, b) => a.idc.localeCompare(b.idc) || a.rack.localeCompare(b.rack));
  const rackChart = {
    grid: { left: 40, right: 16, top: 24, bottom: 60 },
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    xAxis: { type: "category", data: racks.map((x) => `${x.idc}/${x.rack}`), axisLabel: { rotate: 60, fontSize: 10 } },
    yAxis: { type: "value", name: t("instances") },
    series: [...new Set(racks.map((x) => x.idc))].map((idc) => ({
      name: idc,
      type: "bar",
      stack: "idc",
      data: racks.map((x) => (x.idc === idc ? x.instances : null)),
    })),
  };
  return (
    <div className="space-y-4" data-testid="cap-result">
      <SkippedHostsNote hosts={r.skippedHosts} testId="cap-skipped-hosts" />
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <Stat
          label={t("moreInstances")}
          value={<span data-testid="cap-instances">{r.instances.toLocaleString()}</span>}
          tone={r.instances > 0 ? "green" : "red"}
        />
        <Stat label={t("moreShards", { replicas: r.replicas })} value={<span data-testid="cap-shards">{r.shards.toLocaleString()}</span>} />
        <Stat label={t("hostsWithRoom")} value={`${r.hostsWithRoom.toLocaleString()} / ${r.hostsConsidered.toLocaleString()}`} />
        <Stat label={t("antiAffinity")} value={t(`levels.${r.antiAffinity}`)} />
      </div>
      <div className="grid gap-4 lg:grid-cols-[1fr_2fr]">
        <Card title={t("whyNot")}>
          <p className="mb-3 text-sm text-slate-700" data-testid="cap-summary">
            {t("roomSummary", { withRoom: r.hostsWithRoom, considered: r.hostsConsidered })}
          </p>
          {r.rejections.length === 0 ? (
            <p className="text-sm text-slate-500">{t("noRejections")}</p>
          ) : (
            <ul className="space-y-1.5" data-testid="cap-reasons">
              {r.rejections.map((x) => (
                <li key={x.reason} className="flex items-center gap-2 text-sm">
                  <span className="w-16 text-right font-semibold tabular-nums">{x.hosts.toLocaleString()}</span>
                  <span className="h-2 rounded bg-rose-400" style={{ width: `${Math.max(4, (x.hosts / r.hostsConsidered) * 180)}px` }} />
                  <span>{say({ code: `refusals.scheduler.reasons.${x.reason}` })}</span>
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card title={t("perRack")}>
          {racks.length ? <EChart option={rackChart} height={260} testId="cap-rack-chart" /> : <p className="text-sm text-slate-500">{t("nothingFits")}</p>}
        </Card>
      </div>
      <div className="grid gap-4 lg:grid-cols-[1fr_2fr]">
        <Card title={t("perIdc")}>
          <table className="min-w-full text-sm">
            <thead className="text-left text-xs uppercase text-slate-500">
              <tr>
                <th className="py-1">{t("idc")}</th>
                <th className="text-right">{t("instances")}</th>
                <th className="text-right">{t("shards")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {r.perIdc.map((x) => (
                <tr key={x.idcId} data-testid={`cap-idc-${x.idc}`}>
                  <td className="py-1">{x.idc}</td>
                  <td className="text-right tabular-nums">{x.instances.toLocaleString()}</td>
                  <td className="text-right tabular-nums">{x.shards === null ? "—" : x.shards.toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
        <Card title={t("perHost", { shown: Math.min(r.topHosts.length, 12), total: r.hostsWithRoom })}>
          <div className="grid grid-cols-2 gap-x-6 gap-y-1 text-sm md:grid-cols-3">
            {r.topHosts.slice(0, 12).map((h) => (
              <div key={h.hostId} className="flex justify-between">
                <span className="font-mono">{h.ip}</span>
                <span className="text-slate-500">
                  {h.idc}/{h.rack}
                </span>
                <span className="tabular-nums font-medium">{h.instances}</span>
              </div>
            ))}
          </div>
        </Card>
      </div>
    </div>
  );
}
