import { getTranslations } from "next-intl/server";
import { HostsTable } from "@/components/inventory/hosts-table";
import { Forbidden } from "@/components/shell/forbidden";
import { can } from "@/lib/roles";
import { PageHeader } from "@/components/ui/card";
import { missingRole, requireActor } from "@/server/auth/page-guard";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

const positiveInt = (v: string | string[] | undefined) => (typeof v === "string" && /^[1-9]\d{0,9}$/.test(v) ? Number(v) : undefined);

export default async function HostsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor();
  const missing = missingRole(actor, "/inventory/hosts");
  if (missing) return <Forbidden roles={missing} />;
  const t = await getTranslations("hosts");
  const params = await searchParams;
  const initial = { idcId: positiveInt(params.idcId), rackId: positiveInt(params.rackId) };
  prefetch(trpc.hosts.list.queryOptions({ selector: "", search: "", ...initial, page: 1, pageSize: 50, sort: "ip", dir: "asc" }));
  prefetch(trpc.topology.idcs.queryOptions());
  return (
    <HydrateClient>
      <PageHeader title={t("title")} subtitle={t("subtitle")} />
      <HostsTable canWrite={can(actor.role, "operate")} initial={initial} />
    </HydrateClient>
  );
}
