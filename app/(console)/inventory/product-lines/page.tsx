import { getTranslations } from "next-intl/server";
import { ProductLinesTable } from "@/components/product-lines/product-lines-table";
import { Forbidden } from "@/components/shell/forbidden";
import { can, isScoped } from "@/lib/roles";
import { PageHeader } from "@/components/ui/card";
import { missingRole, requireActor } from "@/server/auth/page-guard";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export default async function ProductLinesPage() {
  const actor = await requireActor();
  const missing = missingRole(actor, "/inventory/product-lines");
  if (missing) return <Forbidden roles={missing} />;
  const t = await getTranslations("productLines");
  prefetch(trpc.productLines.list.queryOptions({}));
  prefetch(trpc.productLines.departments.queryOptions());
  return (
    <HydrateClient>
      <PageHeader title={t("title")} subtitle={isScoped(actor.role) ? t("scoped") : t("subtitle")} />
      <ProductLinesTable canWrite={can(actor.role, "operate")} isAdmin={can(actor.role, "administer")} />
    </HydrateClient>
  );
}
