import { getTranslations } from "next-intl/server";
import { InspectionReportView } from "@/components/inspections/inspection-report";
import { Forbidden } from "@/components/shell/forbidden";
import { PageHeader } from "@/components/ui/card";
import { can } from "@/lib/roles";
import { missingRole, requireActor } from "@/server/auth/page-guard";

export default async function InspectionsPage({ searchParams }: { searchParams: Promise<{ run?: string }> }) {
  const actor = await requireActor();
  const missing = missingRole(actor, "/inspections");
  if (missing) return <Forbidden roles={missing} />;
  const t = await getTranslations("inspections");
  const run = Number((await searchParams).run);
  return (
    <>
      <PageHeader title={t("title")} subtitle={t("subtitle")} />
      <InspectionReportView canWrite={can(actor.role, "operate")} initialRunId={Number.isInteger(run) && run > 0 ? run : null} />
    </>
  );
}
