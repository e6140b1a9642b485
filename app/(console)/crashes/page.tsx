import { getTranslations } from "next-intl/server";
import { CrashAnalysisView } from "@/components/hosthealth/crash-analysis";
import { Forbidden } from "@/components/shell/forbidden";
import { PageHeader } from "@/components/ui/card";
import { missingRole, requireActor } from "@/server/auth/page-guard";

export default async function CrashesPage() {
  const actor = await requireActor();
  const missing = missingRole(actor, "/crashes");
  if (missing) return <Forbidden roles={missing} />;
  const t = await getTranslations("hostHealth");
  return (
    <>
      <PageHeader title={t("title")} subtitle={t("subtitle")} />
      <CrashAnalysisView />
    </>
  );
}
