import { getTranslations } from "next-intl/server";
import { EscalationSettings } from "@/components/health/escalation-settings";
import { RestartSettings } from "@/components/monitoring/restart-settings";
import { ServiceOverrides } from "@/components/monitoring/service-overrides";
import { CollectionSettings, ThresholdSettings } from "@/components/monitoring/settings-forms";
import { Webhooks } from "@/components/monitoring/webhooks";
import { Forbidden } from "@/components/shell/forbidden";
import { PageHeader } from "@/components/ui/card";
import { missingRole, requireActor } from "@/server/auth/page-guard";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export default async function MonitoringSettingsPage() {
  const actor = await requireActor();
  const missing = missingRole(actor, "/monitoring/settings");
  if (missing) return <Forbidden roles={missing} />;
  const t = await getTranslations("monitoring");
  prefetch(trpc.monitoring.settings.queryOptions());
  prefetch(trpc.monitoring.webhooks.queryOptions());
  prefetch(trpc.healing.settings.queryOptions());
  prefetch(trpc.monitoring.serviceOptions.queryOptions({ q: "" }));
  prefetch(trpc.productLines.list.queryOptions({}));
  return (
    <HydrateClient>
      <PageHeader title={t("title")} subtitle={t("subtitle")} />
      <div className="space-y-4">
        <CollectionSettings />
        <ThresholdSettings />
        <RestartSettings />
        <ServiceOverrides />
        <Webhooks />
        <EscalationSettings />
      </div>
    </HydrateClient>
  );
}
