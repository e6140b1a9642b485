import { getTranslations } from "next-intl/server";
import { INSTANCES_FIRST_PAGE } from "@/components/instances/defaults";
import { InstancesTable } from "@/components/instances/instances-table";
import { Forbidden } from "@/components/shell/forbidden";
import { can, isScoped } from "@/lib/roles";
import { PageHeader } from "@/components/ui/card";
import { missingRole, requireActor } from "@/server/auth/page-guard";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export default async function InstancesPage() {
  const actor = await requireActor();
  const missing = missingRole(actor, "/inventory/instances");
  if (missing) return <Forbidden roles={missing} />;
  const t = await getTranslations("instances");
  prefetch(trpc.services.instances.queryOptions(INSTANCES_FIRST_PAGE));
  return (
    <HydrateClient>
      <PageHeader title={t("title")} subtitle={isScoped(actor.role) ? t("subtitleScoped") : t("subtitle")} />
      <InstancesTable showHostLinks={can(actor.role, "readFleet")} />
    </HydrateClient>
  );
}
