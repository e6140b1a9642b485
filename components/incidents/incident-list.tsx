"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { clsx } from "clsx";
import Link from "next/link";
import { useFormatter } from "next-intl";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ErrorNote } from "@/components/ui/error-note";
import { Field, Select } from "@/components/ui/field";
import { useHealthText } from "@/components/health/use-health-text";
import { useTRPC } from "@/trpc/client";

const PAGE_SIZE = 50;
const DAYS = [1, 7, 30, 90];

/** Every incident with its first reason and duration; filters by line, importance, state and period; time to recover per line. */
export function IncidentList() {
  const format = useFormatter();
  const trpc = useTRPC();
  const now = new Date();
  const h = useHealthText(now);
  const t = (k: string, v?: Record<string, string | number>) => h.t(`incidents.${k}`, v);
  const [productLineId, setLine] = useState<number | null>(null);
  const [importance, setImportance] = useState<number | null>(null);
  const [state, setState] = useState<"open" | "closed" | "all">("all");
  const [days, setDays] = useState(30);
  const [page, setPage] = useState(1);
  const lines = useQuery(trpc.productLines.list.queryOptions({}));
  const filter = { productLineId, importance, state, days, page, pageSize: PAGE_SIZE };
  const list = useQuery({ ...trpc.incidents.list.queryOptions(filter), placeholderData: keepPreviousData, refetchInterval: 10_000 });
  const ttr = useQuery(trpc.incidents.timeToRecover.queryOptions({ productLineId, importance, days }));
  const reset = () => setPage(1);
  const dur = (from: Date, to: Date | null) => h.duration((to ?? now).getTime() - new Date(from).getTime());

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-3" data-testid="incident-filters">
        <Field label={t("filters.line")}>
          <Select value={productLineId ?? ""} onChange={(e) => (setLine(e.target.value ? Number(e.target.value) : null), reset())} data-testid="filter-line">
            <option value="">{t("filters.anyLine")}</option>
            {(lines.data ?? []).map((l) => (
              <option key={l.id} value={l.id}>
                {l.code}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t("filters.importance")}>
          <Select
            value={importance ?? ""}
            onChange={(e) => (setImportance(e.target.value ? Number(e.target.value) : null), reset())}
            data-testid="filter-importance"
          >
            <option value="">{t("filters.anyImportance")}</option>
            {[5, 4, 3, 2, 1].map((n) => (
              <option key={n} value={n}>
                {"★".repeat(n)}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t("filters.state")}>
          <Select value={state} onChange={(e) => (setState(e.target.value as typeof state), reset())} data-testid="filter-state">
            {(["all", "open", "closed"] as const).map((s) => (
              <option key={s} value={s}>
                {t(`filters.${s}`)}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t("filters.days")}>
          <Select value={days} onChange={(e) => (setDays(Number(e.target.value)), reset())} data-testid="filter-days">
            {DAYS.map((d) => (
              <option key={d} value={d}>
                {t("filters.daysValue", { n: d })}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      {list.error ? <ErrorNote error={list.error} /> : null}
      <Card>
        <table className="w-full text-sm" data-testid="incident-list">
          <thead className="text-left text-xs text-slate-500">
            <tr>
              <th className="py-1 pr-3">{t("cols.id")}</th>
              <th className="pr-3">{t("cols.state")}</th>
              <th className="pr-3">{t("cols.what")}</th>
              <th className="pr-3">{t("cols.line")}</th>
              <th className="pr-3">{t("cols.opened")}</th>
              <th>{t("cols.duration")}</th>
            </tr>
          </thead>
          <tbody>
            {(list.data?.rows ?? []).map((i) => {
              const lineCodes = [...new Set(i.services.map((s) => s.line))];
              return (
                <tr key={i.id} className="border-t border-slate-100 align-top" data-testid="incident-row" data-open={i.closedAt ? "0" : "1"}>
                  <td className="py-1.5 pr-3 font-mono">
                    <Link href={`/incidents/${i.id}`} className="text-indigo-700 hover:underline" data-testid="incident-link">
                      #{i.id}
                    </Link>
                  </td>
                  <td className="pr-3">
                    <div className="flex flex-wrap gap-1">
                      <Badge tone={i.closedAt ? "green" : "red"}>{i.closedAt ? t("closed") : t("open")}</Badge>
                      {i.acknowledgedAt ? <Badge tone="slate">{t("acked")}</Badge> : null}
                      {i.escalatedAt ? <Badge tone="violet">{t("escalated")}</Badge> : null}
                    </div>
                  </td>
                  <td className="pr-3">
                    <div className="font-medium text-slate-900">
                      {i.host ? t("host", { host: i.host }) + " · " : ""}
                      {i.services
                        .slice(0, 4)
                        .map((s) => s.name)
                        .join(", ")}
                      {i.services.length > 4 ? ` ${t("more", { n: i.services.length - 4 })}` : ""}
                    </div>
                    {i.opened ? <div className="text-slate-600">{h.event(i.opened, new Date(i.openedAt))}</div> : null}
                  </td>
                  <td className="pr-3">
                    {lineCodes.join(", ")} <span className="text-amber-500">{"★".repeat(i.importance)}</span>
                  </td>
                  <td className="whitespace-nowrap pr-3 tabular-nums text-slate-600">
                    {format.dateTime(new Date(i.openedAt), { dateStyle: "short", timeStyle: "short" })}
                  </td>
                  <td className={clsx("whitespace-nowrap tabular-nums", !i.closedAt && "font-semibold text-rose-600")}>
                    {dur(i.openedAt, i.closedAt ? new Date(i.closedAt) : null)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {list.data && list.data.rows.length === 0 ? <p className="py-4 text-sm text-slate-500">{t("none")}</p> : null}
        {list.data && list.data.total > PAGE_SIZE ? (
          <div className="mt-3 flex items-center gap-2 text-sm">
            <Button disabled={page <= 1} onClick={() => setPage(page - 1)}>
              ‹
            </Button>
            <span className="tabular-nums">
              {page} / {Math.ceil(list.data.total / PAGE_SIZE)}
            </span>
            <Button disabled={page * PAGE_SIZE >= list.data.total} onClick={() => setPage(page + 1)}>
              ›
            </Button>
          </div>
        ) : null}
      </Card>
      <Card title={t("ttr")}>
        <table className="w-full text-sm" data-testid="incident-ttr">
          <thead className="text-left text-xs text-slate-500">
            <tr>
              <th className="py-1 pr-3">{t("ttrCols.line")}</th>
              <th className="pr-3">{t("ttrCols.incidents")}</th>
              <th className="pr-3">{t("ttrCols.mean")}</th>
              <th className="pr-3">{t("ttrCols.max")}</th>
              <th>{t("ttrCols.open")}</th>
            </tr>
          </thead>
          <tbody>
            {(ttr.data ?? []).map((r) => (
              <tr key={r.productLineId} className="border-t border-slate-100" data-testid="ttr-row" data-line={r.code}>
                <td className="py-1 pr-3">
                  {r.code} <span className="text-amber-500">{"★".repeat(r.importance)}</span>
                </td>
                <td className="pr-3 tabular-nums">{r.incidents}</td>
                <td className="pr-3 tabular-nums">{r.meanSec === null ? "—" : h.duration(r.meanSec * 1000)}</td>
                <td className="pr-3 tabular-nums">{r.maxSec === null ? "—" : h.duration(r.maxSec * 1000)}</td>
                <td className={clsx("tabular-nums", r.open > 0 && "font-semibold text-rose-600")}>{r.open}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
    </div>
  );
}
