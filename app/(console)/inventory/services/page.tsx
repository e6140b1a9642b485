import { getTranslations } from "next-intl/server";
import { SERVICES_FIRST_PAGE } from "@/components/services/defaults";
import { ServicesTable } from "@/components/services/services-table";
import { Forbidden } from "@/components/shell/forbidden";
import { can, isScoped } from "@/lib/roles";
import { PageHeader } from "@/components/ui/card";
import { missingRole, requireActor } from "@/server/auth/page-guard";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export default async function ServicesPage() {
  const actor = await requireActor();
  const missing = missingRole(actor, "/inventory/services");
  if (missing) return <Forbidden roles={missing} />;
  const t = await getTranslations("services");
  prefetch(trpc.services.list.queryOptions(SERVICES_FIRST_PAGE));
  prefetch(trpc.productLines.list.queryOptions({}));
  return (
    <HydrateClient>
      <PageHeader title={t("title")} subtitle={isScoped(actor.role) ? t("subtitleScoped") : t("subtitle")} />
      <ServicesTable canWrite={can(actor.role, "operate")} />
    </HydrateClient>
  );
}
