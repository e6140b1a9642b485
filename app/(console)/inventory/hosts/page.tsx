import { getTranslations } from "next-intl/server";
import { HostsTable } from "@/components/inventory/hosts-table";
import { Forbidden } from "@/components/shell/forbidden";
import { rolesFor } from "@/components/shell/nav";
import { PageHeader } from "@/components/ui/card";
import { missingRole, requireActor } from "@/server/auth/page-guard";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export default async function HostsPage() {
  const actor = await requireActor();
  const missing = missingRole(actor, rolesFor("/inventory/hosts"));
  if (missing) return <Forbidden roles={missing} />;
  const t = await getTranslations("hosts");
  prefetch(trpc.hosts.list.queryOptions({ selector: "", search: "", page: 1, pageSize: 50, sort: "ip", dir: "asc" }));
  prefetch(trpc.topology.idcs.queryOptions());
  return (
    <HydrateClient>
      <PageHeader title={t("title")} subtitle={t("subtitle")} />
      <HostsTable canWrite={actor.role === "DBA" || actor.role === "ADMIN"} />
    </HydrateClient>
  );
}
