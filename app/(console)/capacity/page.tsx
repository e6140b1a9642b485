import { getTranslations } from "next-intl/server";
import { CapacityView } from "@/components/capacity/capacity-view";
import { Forbidden } from "@/components/shell/forbidden";
import { can } from "@/lib/roles";
import { PageHeader } from "@/components/ui/card";
import { missingRole, requireActor } from "@/server/auth/page-guard";

export default async function CapacityPage() {
  const actor = await requireActor();
  const missing = missingRole(actor, "/capacity");
  if (missing) return <Forbidden roles={missing} />;
  const t = await getTranslations("capacity");
  return (
    <>
      <PageHeader title={t("title")} subtitle={t("subtitle")} />
      <CapacityView canWrite={can(actor.role, "operate")} />
    </>
  );
}
