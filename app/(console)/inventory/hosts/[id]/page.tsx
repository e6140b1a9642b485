import { HostDetailView } from "@/components/inventory/host-detail";
import { Forbidden } from "@/components/shell/forbidden";
import { rolesFor } from "@/components/shell/nav";
import { missingRole, requireActor } from "@/server/auth/page-guard";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export default async function HostPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireActor();
  const missing = missingRole(actor, rolesFor("/inventory/hosts"));
  if (missing) return <Forbidden roles={missing} />;
  const id = Number((await params).id);
  prefetch(trpc.hosts.get.queryOptions({ id }));
  return (
    <HydrateClient>
      <HostDetailView id={id} canWrite={actor.role === "DBA" || actor.role === "ADMIN"} />
    </HydrateClient>
  );
}
