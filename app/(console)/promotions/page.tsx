import { getTranslations } from "next-intl/server";
import { PromotionCalendar } from "@/components/promotions/calendar";
import { PromotionTabs } from "@/components/promotions/promotion-tabs";
import { PromotionSettingsForm } from "@/components/promotions/settings-form";
import { Forbidden } from "@/components/shell/forbidden";
import { can } from "@/lib/roles";
import { PageHeader } from "@/components/ui/card";
import { missingRole, requireActor } from "@/server/auth/page-guard";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export default async function PromotionsPage() {
  const actor = await requireActor();
  const missing = missingRole(actor, "/promotions");
  if (missing) return <Forbidden roles={missing} />;
  const t = await getTranslations("promotions");
  const canWrite = can(actor.role, "operate");
  prefetch(trpc.promotions.list.queryOptions());
  if (canWrite) prefetch(trpc.promotions.settings.queryOptions());
  return (
    <HydrateClient>
      <PageHeader title={t("title")} subtitle={t("subtitle")} />
      <PromotionTabs active="calendar" />
      <div className="space-y-4">
        <PromotionCalendar canWrite={canWrite} />
        {canWrite ? <PromotionSettingsForm /> : null}
      </div>
    </HydrateClient>
  );
}
