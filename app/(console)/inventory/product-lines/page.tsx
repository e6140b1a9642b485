import { getTranslations } from "next-intl/server";
import { ProductLinesTable } from "@/components/product-lines/product-lines-table";
import { Forbidden } from "@/components/shell/forbidden";
import { rolesFor } from "@/components/shell/nav";
import { PageHeader } from "@/components/ui/card";
import { missingRole, requireActor } from "@/server/auth/page-guard";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export default async function ProductLinesPage() {
  const actor = await requireActor();
  const missing = missingRole(actor, rolesFor("/inventory/product-lines"));
  if (missing) return <Forbidden roles={missing} />;
  const t = await getTranslations("productLines");
  prefetch(trpc.productLines.list.queryOptions({}));
  prefetch(trpc.productLines.departments.queryOptions());
  return (
    <HydrateClient>
      <PageHeader title={t("title")} subtitle={actor.role === "BUSINESS" ? t("scoped") : t("subtitle")} />
      <ProductLinesTable canWrite={actor.role === "DBA" || actor.role === "ADMIN"} isAdmin={actor.role === "ADMIN"} />
    </HydrateClient>
  );
}
