import { getTranslations } from "next-intl/server";
import { IncidentList } from "@/components/incidents/incident-list";
import { Forbidden } from "@/components/shell/forbidden";
import { PageHeader } from "@/components/ui/card";
import { missingRole, requireActor } from "@/server/auth/page-guard";
import { HydrateClient } from "@/trpc/server";

export default async function IncidentsPage() {
  const actor = await requireActor();
  const missing = missingRole(actor, "/incidents");
  if (missing) return <Forbidden roles={missing} />;
  const t = await getTranslations("health.incidents");
  return (
    <HydrateClient>
      <PageHeader title={t("title")} subtitle={t("subtitle")} />
      <IncidentList />
    </HydrateClient>
  );
}
