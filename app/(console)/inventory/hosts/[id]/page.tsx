import { HostDetailView } from "@/components/inventory/host-detail";
import { Forbidden } from "@/components/shell/forbidden";
import { can } from "@/lib/roles";
import { missingRole, requireActor } from "@/server/auth/page-guard";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export default async function HostPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireActor();
  const missing = missingRole(actor, "/inventory/hosts");
  if (missing) return <Forbidden roles={missing} />;
  const id = Number((await params).id);
  prefetch(trpc.hosts.get.queryOptions({ id }));
  return (
    <HydrateClient>
      <HostDetailView id={id} canWrite={can(actor.role, "operate")} />
    </HydrateClient>
  );
}
