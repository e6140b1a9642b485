"use client";

import { useQuery } from "@tanstack/react-query";
import { clsx } from "clsx";
import Link from "next/link";
import { useFormatter } from "next-intl";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { ErrorNote } from "@/components/ui/error-note";
import { useHealthText } from "@/components/health/use-health-text";
import { useTRPC } from "@/trpc/client";

const DOT: Record<string, string> = {
  opened: "bg-rose-600",
  host_opened: "bg-rose-600",
  reason: "bg-rose-400",
  automatic_started: "bg-sky-500",
  automatic_succeeded: "bg-emerald-500",
  automatic_failed: "bg-rose-500",
  acknowledged: "bg-slate-700",
  silenced: "bg-slate-400",
  escalated: "bg-violet-600",
  resolved: "bg-emerald-600",
};

/** One incident: its services, its current reasons while open, and the timeline from opened to resolved. */
export function IncidentDetail({ id }: { id: number }) {
  const trpc = useTRPC();
  const format = useFormatter();
  const q = useQuery(trpc.incidents.get.queryOptions({ id }, { refetchInterval: 5_000 }));
  const now = new Date();
  const h = useHealthText(now);
  const t = (k: string, v?: Record<string, string | number>) => h.t(`incidents.${k}`, v);
  if (q.error) return <ErrorNote error={q.error} />;
  const i = q.data;
  if (!i) return null;
  const reasons = (Array.isArray(i.reasons) ? i.reasons : []) as { code: string; level: string; params: Record<string, unknown> }[];
  const title = `#${i.id} · ${i.host ? t("host", { host: i.host.ip }) : (i.services[0]?.name ?? "")}`;
  return (
    <div data-testid="incident-detail" data-open={i.closedAt ? "0" : "1"}>
      <PageHeader
        title={title}
        subtitle={`${format.dateTime(new Date(i.openedAt), { dateStyle: "medium", timeStyle: "medium" })} · ${h.duration((i.closedAt ? new Date(i.closedAt) : now).getTime() - new Date(i.openedAt).getTime())}`}
        actions={<Badge tone={i.closedAt ? "green" : "red"}>{i.closedAt ? t("closed") : t("open")}</Badge>}
      />
      <div className="grid gap-4 lg:grid-cols-3">
        <Card title={t("timeline")} className="lg:col-span-2">
          <ol className="relative space-y-3 border-l border-slate-200 pl-5" data-testid="incident-timeline">
            {i.events.map((e) => (
              <li key={e.id} className="relative" data-testid="timeline-event" data-kind={e.kind}>
                <span className={clsx("absolute -left-[26px] top-1.5 h-2.5 w-2.5 rounded-full ring-2 ring-white", DOT[e.kind] ?? "bg-slate-400")} />
                <div className="text-xs tabular-nums text-slate-500">{format.dateTime(new Date(e.at), { dateStyle: "short", timeStyle: "medium" })}</div>
                <div className="text-sm text-slate-900">{h.event({ code: e.code, params: e.params as Record<string, unknown> }, new Date(e.at))}</div>
              </li>
            ))}
          </ol>
        </Card>
        <div className="space-y-4">
          <Card title={t("services")}>
            <ul className="space-y-1 text-sm" data-testid="incident-services">
              {i.services.map((s) => (
                <li key={s.id}>
                  <Link href={`/inventory/services/${s.id}`} className="text-indigo-700 hover:underline">
                    {s.name}
                  </Link>{" "}
                  <span className="text-slate-500">{s.productLine.code}</span> <span className="text-amber-500">{"★".repeat(s.productLine.importance)}</span>
                </li>
              ))}
            </ul>
          </Card>
          {reasons.length ? (
            <Card>
              <ul className="space-y-1 text-sm" data-testid="incident-reasons">
                {reasons.map((r, k) => (
                  <li key={k} className={r.level === "RED" ? "text-rose-700" : "text-amber-700"}>
                    {h.reason(r)}
                  </li>
                ))}
              </ul>
            </Card>
          ) : null}
        </div>
      </div>
    </div>
  );
}
