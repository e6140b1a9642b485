import { getTranslations } from "next-intl/server";
import { RequestFormView } from "@/components/requests/request-form";
import { Forbidden } from "@/components/shell/forbidden";
import { PageHeader } from "@/components/ui/card";
import { missingRole, requireActor } from "@/server/auth/page-guard";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export default async function NewRequestPage() {
  const actor = await requireActor();
  const missing = missingRole(actor, "/requests/new");
  if (missing) return <Forbidden roles={missing} />;
  const t = await getTranslations("requests.form");
  prefetch(trpc.productLines.list.queryOptions({}));
  prefetch(trpc.requests.idcs.queryOptions());
  return (
    <HydrateClient>
      <PageHeader title={t("title")} subtitle={t("subtitle")} />
      <RequestFormView />
    </HydrateClient>
  );
}
