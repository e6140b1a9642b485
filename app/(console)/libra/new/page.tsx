import { getTranslations } from "next-intl/server";
import { GuidedFlow } from "@/components/libra/guided-flow";
import { Forbidden } from "@/components/shell/forbidden";
import { PageHeader } from "@/components/ui/card";
import { missingRole, requireActor } from "@/server/auth/page-guard";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export default async function NewLibraApplicationPage({ searchParams }: { searchParams: Promise<{ pool?: string }> }) {
  const actor = await requireActor();
  const missing = missingRole(actor, "/libra/new");
  if (missing) return <Forbidden roles={missing} />;
  const t = await getTranslations("libra.guided");
  const pool = Number((await searchParams).pool);
  prefetch(trpc.libra.pools.queryOptions());
  prefetch(trpc.libra.templates.queryOptions());
  prefetch(trpc.libra.capabilities.queryOptions());
  return (
    <HydrateClient>
      <PageHeader title={t("title")} subtitle={t("subtitle")} />
      <GuidedFlow initialPoolId={Number.isInteger(pool) && pool > 0 ? pool : null} />
    </HydrateClient>
  );
}
