"use client";

import { useQuery } from "@tanstack/react-query";
import { clsx } from "clsx";
import Link from "next/link";
import { useFormatter, useTimeZone, useTranslations } from "next-intl";
import { useMemo, useState } from "react";
import { EChart } from "@/components/charts/echart";
import { timeLines } from "@/components/monitoring/chart-options";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ErrorNote } from "@/components/ui/error-note";
import { useTRPC } from "@/trpc/client";

const DAY = 86_400_000;
const SPANS = [7, 30, 90, 365] as const;
const BY = ["idc", "rack", "model", "kernel", "os"] as const;
type By = (typeof BY)[number];
type Placed = { serviceId: number; service: string; instanceId: number; role: string; port: number; outcome?: string };
const pct = (v: number) => `${Math.round(v * 10_000) / 100}%`;

/** Crash, schedulable and online rates as daily trends; crashes grouped by IDC, rack, model, kernel, OS with jumps flagged; the crashes with their services. */
export function CrashAnalysisView() {
  const t = useTranslations("hostHealth");
  const format = useFormatter();
  const timeZone = useTimeZone() ?? "UTC";
  const trpc = useTRPC();
  const [days, setDays] = useState<(typeof SPANS)[number]>(30);
  const [by, setBy] = useState<By>("idc");
  const [key, setKey] = useState<string | null>(null);
  // whole days, so the queries' keys stay stable between renders
  const range = useMemo(() => {
    const to = new Date(Math.ceil(Date.now() / DAY) * DAY);
    return { from: new Date(to.getTime() - days * DAY), to };
  }, [days]);
  const trends = useQuery(trpc.hostHealth.trends.queryOptions(range));
  const groups = useQuery({ ...trpc.hostHealth.groups.queryOptions({ ...range, by }), placeholderData: (p) => p });
  const crashes = useQuery({ ...trpc.hostHealth.crashes.queryOptions({ ...range, by, key }), placeholderData: (p) => p });
  const span: [number, number] = [range.from.getTime(), range.to.getTime()];
  const pts = (list: { day: string }[], f: (p: never) => number) => list.map((p) => [new Date(p.day).getTime(), f(p as never) * 100] as [number, number]);
  const fleet = trends.data?.fleet ?? [];
  return (
    <div className="space-y-4" data-testid="crash-analysis">
      <div className="flex flex-wrap items-center gap-2">
        {SPANS.map((d) => (
          <Button key={d} variant={d === days ? "primary" : "secondary"} onClick={() => (setDays(d), setKey(null))} data-testid={`span-${d}`}>
            {t("lastDays", { days: d })}
          </Button>
        ))}
      </div>
      <ErrorNote error={trends.error ?? groups.error ?? crashes.error} />
      <div className="grid gap-4 lg:grid-cols-2">
        <Card title={t("fleetTrend")}>
          <div data-testid="trend-fleet" data-points={fleet.length}>
            <EChart
              option={timeLines(
                [
                  { name: t("online"), data: pts(fleet, (p: { online: number }) => p.online), color: "#16a34a" },
                  { name: t("schedulable"), data: pts(fleet, (p: { schedulable: number }) => p.schedulable), color: "#4f46e5" },
                ],
                { unit: " %", span, timeZone },
              )}
              height={220}
            />
          </div>
        </Card>
        <Card title={t("crashTrend")}>
          <EChart
            option={timeLines(
              [
                { name: t("fleet"), data: pts(fleet, (p: { crash: number }) => p.crash), color: "#dc2626", area: true },
                ...(trends.data?.idcs ?? []).map((i) => ({ name: i.code, data: pts(i.points, (p: { crash: number }) => p.crash) })),
              ],
              { unit: " %", span, timeZone },
            )}
            height={220}
          />
        </Card>
      </div>
      <Card title={t("groupsTitle")}>
        <div className="mb-3 flex flex-wrap items-center gap-2">
          <span className="text-sm text-slate-500">{t("groupBy")}</span>
          {BY.map((b) => (
            <Button key={b} variant={b === by ? "primary" : "secondary"} onClick={() => (setBy(b), setKey(null))} data-testid={`by-${b}`}>
              {t(`by.${b}`)}
            </Button>
          ))}
          {groups.data ? (
            <span className="text-sm text-slate-500">{t("fleetRate", { rate: pct(groups.data.fleetRate), hosts: groups.data.hosts })}</span>
          ) : null}
        </div>
        <table className="min-w-full text-sm" data-testid="crash-groups">
          <thead className="text-left text-xs uppercase text-slate-500">
            <tr>
              <th className="py-1">{t(`by.${by}`)}</th>
              <th className="text-right">{t("hosts")}</th>
              <th className="text-right">{t("crashes")}</th>
              <th className="text-right">{t("rate")}</th>
              <th className="text-right">{t("prevRate")}</th>
              <th />
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {(groups.data?.groups ?? []).map((g) => (
              <tr
                key={g.key}
                className={clsx("cursor-pointer hover:bg-slate-50", key === g.key && "bg-indigo-50", g.jumped && "text-red-800")}
                onClick={() => setKey(key === g.key ? null : g.key)}
                data-testid="crash-group"
                data-jumped={g.jumped}
              >
                <td className="py-1 font-mono text-xs">{g.key}</td>
                <td className="text-right">{g.hosts}</td>
                <td className="text-right">{g.crashes}</td>
                <td className="text-right">{pct(g.rate)}</td>
                <td className="text-right">{pct(g.prevRate)}</td>
                <td className="pl-2">{g.jumped ? <Badge tone="red">{t("jumped")}</Badge> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      <Card title={key ? t("crashesOf", { key }) : t("crashList")}>
        {crashes.data && crashes.data.length === 0 ? <p className="text-sm text-slate-500">{t("noCrashes")}</p> : null}
        <ul className="divide-y divide-slate-100" data-testid="crash-list">
          {(crashes.data ?? []).map((c) => {
            const services = c.services as Placed[];
            return (
              <li key={c.id} className="py-2 text-sm" data-testid="crash">
                <div className="flex flex-wrap items-center gap-2">
                  <Link className="font-mono text-indigo-700 hover:underline" href={`/inventory/hosts/${c.hostId}`}>
                    {c.ip}
                  </Link>
                  <span className="text-slate-500">
                    {c.idc}/{c.rack} · {c.model} · {c.kernel} · {c.os}
                  </span>
                  <span>{format.dateTime(new Date(c.startedAt), { dateStyle: "short", timeStyle: "short" })}</span>
                  {c.endedAt ? (
                    <Badge tone="slate">
                      {t("downFor", { minutes: Math.max(1, Math.round((new Date(c.endedAt).getTime() - new Date(c.startedAt).getTime()) / 60_000)) })}
                    </Badge>
                  ) : (
                    <Badge tone="red">{t("stillDown")}</Badge>
                  )}
                </div>
                {services.length ? (
                  <ul className="mt-1 flex flex-wrap gap-2 text-xs" data-testid="crash-services">
                    {services.map((s) => (
                      <li key={s.instanceId} className="rounded bg-slate-50 px-2 py-0.5 ring-1 ring-slate-200">
                        <Link className="text-indigo-700 hover:underline" href={`/inventory/services/${s.serviceId}`}>
                          {s.service}
                        </Link>{" "}
                        :{s.port} {s.role.toLowerCase()} → {s.outcome ? t(`outcome.${s.outcome as "recovered"}`) : t("outcome.pending")}
                      </li>
                    ))}
                  </ul>
                ) : (
                  <div className="text-xs text-slate-500">{t("noServices")}</div>
                )}
              </li>
            );
          })}
        </ul>
      </Card>
    </div>
  );
}
