"use client";

import { useQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { InstanceStateCell } from "@/components/instances/instance-state";
import { Card } from "@/components/ui/card";
import { ErrorNote } from "@/components/ui/error-note";
import { useTRPC } from "@/trpc/client";
import { useHealthText } from "@/components/health/use-health-text";
import { LevelBadge } from "./level-badge";

/** The service's instances with the health rules' verdict and reasons; refreshed with the board's pace. */
export function InstanceHealthTable({ serviceId }: { serviceId: number }) {
  const t = useTranslations("monitoringViews");
  const ti = useTranslations("inventory");
  const format = useFormatter();
  const trpc = useTRPC();
  const q = useQuery(trpc.metrics.instances.queryOptions({ serviceId }, { refetchInterval: 10_000 }));
  const text = useHealthText(new Date());
  if (q.error) return <ErrorNote error={q.error} />;
  return (
    <Card title={t("instances")}>
      <table className="w-full text-sm" data-testid="instance-health">
        <thead className="text-left text-xs text-slate-500">
          <tr>
            <th className="py-1 pr-3">{t("cols.address")}</th>
            <th className="pr-3">{t("cols.role")}</th>
            <th className="pr-3">{t("cols.shard")}</th>
            <th className="pr-3">{t("cols.state")}</th>
            <th className="pr-3">{t("cols.health")}</th>
            <th className="pr-3">{t("cols.reasons")}</th>
            <th>{t("cols.since")}</th>
          </tr>
        </thead>
        <tbody>
          {(q.data ?? []).map((i) => (
            <tr key={i.id} className="border-t border-slate-100" data-testid="instance-health-row" data-level={i.level}>
              <td className="py-1 pr-3 font-mono">{i.address}</td>
              <td className="pr-3">{ti(`roles.${i.role}`)}</td>
              <td className="pr-3 tabular-nums">{i.shardIndex ?? "—"}</td>
              <td className="py-1 pr-3">
                <InstanceStateCell instance={i.observed} />
              </td>
              <td className="pr-3">
                <LevelBadge level={i.level} />
              </td>
              <td className="pr-3">{i.reasons.map((r) => text.reason(r)).join("; ") || "—"}</td>
              <td className="whitespace-nowrap text-slate-500">
                {i.since ? format.dateTime(new Date(i.since), { dateStyle: "short", timeStyle: "short" }) : "—"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}
