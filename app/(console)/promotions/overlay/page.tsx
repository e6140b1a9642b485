import { getTranslations } from "next-intl/server";
import { OverlayView } from "@/components/promotions/overlay-view";
import { idsParam } from "@/components/promotions/params";
import { PromotionTabs } from "@/components/promotions/promotion-tabs";
import { Forbidden } from "@/components/shell/forbidden";
import { PageHeader } from "@/components/ui/card";
import { missingRole, requireActor } from "@/server/auth/page-guard";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export default async function PromotionOverlayPage({ searchParams }: { searchParams: Promise<{ service?: string; p?: string }> }) {
  const actor = await requireActor();
  const missing = missingRole(actor, "/promotions/overlay");
  if (missing) return <Forbidden roles={missing} />;
  const t = await getTranslations("promotions");
  const sp = await searchParams;
  const serviceId = idsParam(sp.service)[0] ?? 0;
  const ids = idsParam(sp.p);
  if (serviceId && ids.length) prefetch(trpc.promotions.overlay.queryOptions({ serviceId, promotionIds: ids }));
  return (
    <HydrateClient>
      <PageHeader title={t("title")} subtitle={t("subtitle")} />
      <PromotionTabs active="compare" />
      {serviceId && ids.length ? <OverlayView serviceId={serviceId} promotionIds={ids} /> : <p className="text-sm text-slate-500">{t("compare.pickTwo")}</p>}
    </HydrateClient>
  );
}
