import { notFound } from "next/navigation";
import { RequestDetailView } from "@/components/requests/request-detail";
import { Forbidden } from "@/components/shell/forbidden";
import { can } from "@/lib/roles";
import { missingRole, requireActor } from "@/server/auth/page-guard";
import { getQueryClient, HydrateClient, trpc } from "@/trpc/server";

export default async function RequestPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireActor();
  const missing = missingRole(actor, "/requests");
  if (missing) return <Forbidden roles={missing} />;
  const id = Number((await params).id);
  if (!Number.isInteger(id) || id <= 0) notFound();
  // Awaited, not streamed: a refused read (another product line's request) is then not hydrated,
  // and the client asks again and shows the API's own sentence instead of a redacted server error.
  await getQueryClient().prefetchQuery(trpc.requests.get.queryOptions({ id }));
  return (
    <HydrateClient>
      <RequestDetailView id={id} canRequest={can(actor.role, "request")} />
    </HydrateClient>
  );
}
