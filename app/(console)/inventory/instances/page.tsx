import { getTranslations } from "next-intl/server";
import { INSTANCES_FIRST_PAGE } from "@/components/instances/defaults";
import { InstancesTable } from "@/components/instances/instances-table";
import { Forbidden } from "@/components/shell/forbidden";
import { rolesFor } from "@/components/shell/nav";
import { PageHeader } from "@/components/ui/card";
import { missingRole, requireActor } from "@/server/auth/page-guard";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export default async function InstancesPage() {
  const actor = await requireActor();
  const missing = missingRole(actor, rolesFor("/inventory/instances"));
  if (missing) return <Forbidden roles={missing} />;
  const t = await getTranslations("instances");
  prefetch(trpc.services.instances.queryOptions(INSTANCES_FIRST_PAGE));
  return (
    <HydrateClient>
      <PageHeader title={t("title")} subtitle={actor.role === "BUSINESS" ? t("subtitleScoped") : t("subtitle")} />
      <InstancesTable showHostLinks={rolesFor("/inventory/hosts").includes(actor.role)} />
    </HydrateClient>
  );
}
