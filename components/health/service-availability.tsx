"use client";

import { useQuery } from "@tanstack/react-query";
import { clsx } from "clsx";
import Link from "next/link";
import { useHealthText } from "@/components/health/use-health-text";
import { Card } from "@/components/ui/card";
import { useTRPC } from "@/trpc/client";

/** The service's canary (through its entry point, as clients use it) and availability over 30 days. */
export function ServiceAvailability({ serviceId }: { serviceId: number }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.incidents.service.queryOptions({ serviceId }, { refetchInterval: 10_000 }));
  const h = useHealthText(new Date());
  if (!q.data) return null;
  const { canary, availability: a, incident } = q.data;
  return (
    <Card title={h.t("availability.title")}>
      <div className="flex flex-wrap items-baseline gap-x-8 gap-y-2" data-testid="service-availability">
        <div>
          <span
            className={clsx(
              "text-2xl font-semibold tabular-nums",
              a.pct === null ? "text-slate-400" : a.pct >= 99.9 ? "text-emerald-600" : a.pct >= 99 ? "text-amber-600" : "text-rose-600",
            )}
            data-testid="availability-pct"
          >
            {a.pct === null ? h.t("availability.none") : h.t("availability.value", { pct: a.pct })}
          </span>
          {a.pct !== null ? (
            <span className="ml-2 text-sm text-slate-500">{h.t("availability.detail", { errors: a.errorMinutes, minutes: a.minutes })}</span>
          ) : null}
        </div>
        {canary ? (
          <div
            className={clsx("text-sm", canary.ok ? "text-slate-600" : "font-semibold text-rose-700")}
            data-testid="service-canary"
            data-ok={canary.ok ? "1" : "0"}
          >
            {h.t("canary.title")}:{" "}
            {canary.ok
              ? h.t("canary.ok", { via: h.t(`via.${canary.via}`), entry: canary.entry, ms: Math.round(canary.latencyMs ?? 0) })
              : h.reason({
                  code: "canary_failed",
                  params: {
                    entry: canary.entry,
                    via: canary.via,
                    keys: canary.keys,
                    failed: canary.failed,
                    error: canary.error,
                    since: new Date(canary.failingSince ?? canary.at).toISOString(),
                  },
                })}
          </div>
        ) : null}
        {incident ? (
          <Link href={`/incidents/${incident.id}`} className="text-sm font-semibold text-rose-700 underline" data-testid="service-incident">
            #{incident.id}
          </Link>
        ) : null}
      </div>
    </Card>
  );
}
