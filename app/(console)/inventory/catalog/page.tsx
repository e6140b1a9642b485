import { getTranslations } from "next-intl/server";
import { PortRangesCard } from "@/components/catalog/port-ranges-card";
import { SpecsCard } from "@/components/catalog/specs-card";
import { VersionsCard } from "@/components/catalog/versions-card";
import { Forbidden } from "@/components/shell/forbidden";
import { can } from "@/lib/roles";
import { PageHeader } from "@/components/ui/card";
import { missingRole, requireActor } from "@/server/auth/page-guard";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export default async function CatalogPage() {
  const actor = await requireActor();
  const missing = missingRole(actor, "/inventory/catalog");
  if (missing) return <Forbidden roles={missing} />;
  const t = await getTranslations("catalog");
  prefetch(trpc.catalog.versions.queryOptions());
  prefetch(trpc.catalog.specs.queryOptions());
  prefetch(trpc.catalog.portRanges.queryOptions());
  const canWrite = can(actor.role, "operate");
  return (
    <HydrateClient>
      <PageHeader title={t("title")} subtitle={t("subtitle")} />
      <div className="grid gap-4 xl:grid-cols-2">
        <VersionsCard canWrite={canWrite} />
        <PortRangesCard canWrite={canWrite} />
        <SpecsCard canWrite={canWrite} className="xl:col-span-2" />
      </div>
    </HydrateClient>
  );
}
