import { getTranslations } from "next-intl/server";
import { AuditTable } from "@/components/audit/audit-table";
import { Forbidden } from "@/components/shell/forbidden";
import { PageHeader } from "@/components/ui/card";
import { missingRole, requireActor } from "@/server/auth/page-guard";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export default async function AuditPage() {
  const actor = await requireActor();
  const missing = missingRole(actor, "/audit");
  if (missing) return <Forbidden roles={missing} />;
  const t = await getTranslations("audit");
  prefetch(trpc.admin.audit.queryOptions({ page: 1, pageSize: 50 }));
  prefetch(trpc.admin.auditEntityTypes.queryOptions());
  return (
    <HydrateClient>
      <PageHeader title={t("title")} subtitle={t("subtitle")} />
      <AuditTable />
    </HydrateClient>
  );
}
