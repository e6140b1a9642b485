import { getTranslations } from "next-intl/server";
import { UsersTable } from "@/components/admin/users-table";
import { Forbidden } from "@/components/shell/forbidden";
import { PageHeader } from "@/components/ui/card";
import { missingRole, requireActor } from "@/server/auth/page-guard";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export default async function UsersPage() {
  const actor = await requireActor();
  const missing = missingRole(actor, "/admin/users");
  if (missing) return <Forbidden roles={missing} />;
  const t = await getTranslations("users");
  prefetch(trpc.admin.users.queryOptions({}));
  prefetch(trpc.productLines.list.queryOptions({}));
  return (
    <HydrateClient>
      <PageHeader title={t("title")} subtitle={t("subtitle")} />
      <UsersTable />
    </HydrateClient>
  );
}
