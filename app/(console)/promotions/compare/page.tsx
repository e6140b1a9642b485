import { getTranslations } from "next-intl/server";
import { COMPARE_PAGE_SIZE, CompareView } from "@/components/promotions/compare-view";
import { idsParam } from "@/components/promotions/params";
import { PromotionTabs } from "@/components/promotions/promotion-tabs";
import { Forbidden } from "@/components/shell/forbidden";
import { PageHeader } from "@/components/ui/card";
import { missingRole, requireActor } from "@/server/auth/page-guard";
import { getQueryClient, HydrateClient, prefetch, trpc } from "@/trpc/server";

export default async function PromotionComparePage({ searchParams }: { searchParams: Promise<{ p?: string }> }) {
  const actor = await requireActor();
  const missing = missingRole(actor, "/promotions/compare");
  if (missing) return <Forbidden roles={missing} />;
  const t = await getTranslations("promotions");
  const list = await getQueryClient().fetchQuery(trpc.promotions.list.queryOptions());
  let ids = idsParam((await searchParams).p);
  // Nothing chosen: the last two promotions that have happened, older first.
  if (ids.length < 2)
    ids = list
      .filter((p) => p.status !== "upcoming")
      .slice(0, 2)
      .map((p) => p.id)
      .reverse();
  if (ids.length >= 2)
    prefetch(trpc.promotions.compare.queryOptions({ promotionIds: ids, level: "service", sort: "name", dir: "asc", page: 1, pageSize: COMPARE_PAGE_SIZE }));
  return (
    <HydrateClient>
      <PageHeader title={t("title")} subtitle={t("subtitle")} />
      <PromotionTabs active="compare" />
      <CompareView initialIds={ids} />
    </HydrateClient>
  );
}
