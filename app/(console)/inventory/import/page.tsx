import { getTranslations } from "next-intl/server";
import { ImportWizard } from "@/components/import/import-wizard";
import { Forbidden } from "@/components/shell/forbidden";
import { PageHeader } from "@/components/ui/card";
import { missingRole, requireActor } from "@/server/auth/page-guard";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export default async function ImportPage() {
  const actor = await requireActor();
  const missing = missingRole(actor, "/inventory/import");
  if (missing) return <Forbidden roles={missing} />;
  const t = await getTranslations("import");
  prefetch(trpc.import.example.queryOptions({ kind: "hosts" }));
  return (
    <HydrateClient>
      <PageHeader title={t("title")} subtitle={t("subtitle")} />
      <ImportWizard />
    </HydrateClient>
  );
}
