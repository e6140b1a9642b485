import { getTranslations } from "next-intl/server";
import { FleetFigures } from "@/components/monitoring/fleet-figures";
import { PageHeader, Stat } from "@/components/ui/card";
import { Forbidden } from "@/components/shell/forbidden";
import { missingRole, requireActor } from "@/server/auth/page-guard";
import { isScoped } from "@/lib/roles";
import { db } from "@/server/db/client";
import { fleetOverview } from "@/server/domain/fleet/overview";

export default async function OverviewPage() {
  const actor = await requireActor();
  const missing = missingRole(actor, "/");
  if (missing) return <Forbidden roles={missing} />;
  const t = await getTranslations("overview");
  const ti = await getTranslations("inventory");
  const o = await fleetOverview(db(), actor);
  const totalInstances = Object.values(o.instancesBySoftware).reduce((a, b) => a + b, 0);
  const totalHosts = Object.values(o.hostsByStatus).reduce((a, b) => a + b, 0);
  return (
    <>
      <PageHeader title={t("title")} subtitle={isScoped(actor.role) ? t("scoped") : t("subtitle")} />
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4 xl:grid-cols-6">
        <Stat label={t("productLines")} value={o.productLines} />
        <Stat label={t("services")} value={o.services} />
        <Stat label={t("instances")} value={totalInstances} />
        {o.seesHosts ? <Stat label={t("hosts")} value={totalHosts} /> : null}
        {o.seesHosts ? <Stat label={t("hostsOnline")} value={o.hostsByStatus.ONLINE ?? 0} tone="green" /> : null}
        {o.seesHosts ? (
          <Stat
            label={t("hostsOut")}
            value={(o.hostsByStatus.MAINTENANCE ?? 0) + (o.hostsByStatus.OFFLINE ?? 0) + (o.hostsByStatus.LOCKED ?? 0)}
            tone="amber"
          />
        ) : null}
      </div>
      <div className="mt-6 grid gap-3 md:grid-cols-2">
        <CountList title={t("bySoftware")} counts={o.instancesBySoftware} label={(k) => ti(`software.${k}`)} />
        <CountList title={t("byState")} counts={o.instancesByState} label={(k) => ti(`states.${k}`)} />
      </div>
      <FleetFigures />
    </>
  );
}

function CountList({ title, counts, label }: { title: string; counts: Record<string, number>; label: (key: string) => string }) {
  return (
    <div className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
      <h2 className="mb-2 text-sm font-semibold">{title}</h2>
      <dl className="grid grid-cols-2 gap-y-1 text-sm">
        {Object.entries(counts).map(([k, v]) => (
          <div key={k} className="contents">
            <dt className="text-slate-600">{label(k)}</dt>
            <dd className="text-right tabular-nums">{v}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
