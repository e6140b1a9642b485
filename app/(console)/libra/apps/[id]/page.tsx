import { notFound } from "next/navigation";
import { AppView } from "@/components/libra/app-view";
import { Forbidden } from "@/components/shell/forbidden";
import { can } from "@/lib/roles";
import { missingRole, requireActor } from "@/server/auth/page-guard";
import { getQueryClient, HydrateClient, trpc } from "@/trpc/server";

export default async function LibraApplicationPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireActor();
  const missing = missingRole(actor, "/libra");
  if (missing) return <Forbidden roles={missing} />;
  const id = Number((await params).id);
  if (!Number.isInteger(id) || id <= 0) notFound();
  await getQueryClient().prefetchQuery(trpc.libra.application.queryOptions({ appId: id }));
  return (
    <HydrateClient>
      <AppView appId={id} canWrite={can(actor.role, "operate")} />
    </HydrateClient>
  );
}
