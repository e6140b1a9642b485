import { getTranslations } from "next-intl/server";
import { Forbidden } from "@/components/shell/forbidden";
import { can } from "@/lib/roles";
import { TopologyView } from "@/components/topology/topology-view";
import { PageHeader } from "@/components/ui/card";
import { missingRole, requireActor } from "@/server/auth/page-guard";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export default async function TopologyPage() {
  const actor = await requireActor();
  const missing = missingRole(actor, "/inventory/topology");
  if (missing) return <Forbidden roles={missing} />;
  const t = await getTranslations("topology");
  prefetch(trpc.topology.idcs.queryOptions());
  return (
    <HydrateClient>
      <PageHeader title={t("title")} subtitle={t("subtitle")} />
      <TopologyView canWrite={can(actor.role, "operate")} />
    </HydrateClient>
  );
}
