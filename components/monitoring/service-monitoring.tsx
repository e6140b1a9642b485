"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { ServiceAvailability } from "@/components/health/service-availability";
import { InstanceHealthTable } from "./instance-health-table";
import { RangePicker, type Range } from "./range-picker";
import { ServiceCharts } from "./service-charts";
import { TrafficCard } from "./traffic-card";

/** The monitoring section of a service page: curves over a range, instance health, Titan, demo traffic. */
export function ServiceMonitoring({ serviceId, canGenerateTraffic }: { serviceId: number; canGenerateTraffic: boolean }) {
  const t = useTranslations("monitoringViews");
  const [range, setRange] = useState<Range>({ preset: "1h" });
  return (
    <section className="mt-6 space-y-4" data-testid="service-monitoring">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 className="text-lg font-semibold text-slate-900">{t("monitoring")}</h2>
        <div className="flex flex-wrap items-center gap-3">
          <RangePicker value={range} onChange={setRange} />
          <Link
            href={`/inventory/services/${serviceId}/titan`}
            className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700"
            data-testid="titan-link"
          >
            {t("titanLink")} →
          </Link>
        </div>
      </div>
      <ServiceAvailability serviceId={serviceId} />
      <ServiceCharts serviceId={serviceId} range={range} />
      <InstanceHealthTable serviceId={serviceId} />
      {canGenerateTraffic ? <TrafficCard serviceId={serviceId} /> : null}
    </section>
  );
}
