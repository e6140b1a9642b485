import { getTranslations } from "next-intl/server";
import { ForecastView, RISK_PAGE_SIZE } from "@/components/promotions/forecast-view";
import { idsParam } from "@/components/promotions/params";
import { PromotionTabs } from "@/components/promotions/promotion-tabs";
import { Forbidden } from "@/components/shell/forbidden";
import { can } from "@/lib/roles";
import { PageHeader } from "@/components/ui/card";
import { missingRole, requireActor } from "@/server/auth/page-guard";
import { getQueryClient, HydrateClient, prefetch, trpc } from "@/trpc/server";

export default async function PromotionForecastPage({ searchParams }: { searchParams: Promise<{ target?: string }> }) {
  const actor = await requireActor();
  const missing = missingRole(actor, "/promotions/forecast");
  if (missing) return <Forbidden roles={missing} />;
  const t = await getTranslations("promotions");
  const list = await getQueryClient().fetchQuery(trpc.promotions.list.queryOptions());
  // Soonest first: the promotion to prepare for now.
  const targets = list.filter((p) => p.status === "upcoming").reverse();
  const asked = idsParam((await searchParams).target)[0];
  const target = targets.find((p) => p.id === asked) ?? targets[0];
  if (target) {
    prefetch(trpc.promotions.risks.queryOptions({ promotionId: target.id, atRiskOnly: true, page: 1, pageSize: RISK_PAGE_SIZE }));
    prefetch(trpc.promotions.backtest.queryOptions());
  }
  return (
    <HydrateClient>
      <PageHeader title={t("title")} subtitle={t("subtitle")} />
      <PromotionTabs active="forecast" />
      {target ? (
        <ForecastView targets={targets.map((p) => ({ id: p.id, name: p.name }))} initialTarget={target.id} canRequest={can(actor.role, "operate")} />
      ) : (
        <p className="text-sm text-slate-500">{t("forecast.noUpcoming")}</p>
      )}
    </HydrateClient>
  );
}
