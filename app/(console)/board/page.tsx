import { BoardView } from "@/components/board/board-view";
import { Forbidden } from "@/components/shell/forbidden";
import { rolesFor } from "@/components/shell/nav";
import { missingRole, requireActor } from "@/server/auth/page-guard";
import { getQueryClient, HydrateClient, trpc } from "@/trpc/server";

export default async function BoardPage() {
  const actor = await requireActor();
  const missing = missingRole(actor, rolesFor("/board"));
  if (missing) return <Forbidden roles={missing} />;
  await getQueryClient().prefetchQuery(trpc.board.get.queryOptions());
  return (
    <HydrateClient>
      <BoardView tv={false} canAck={actor.role !== "BUSINESS"} scoped={actor.role === "BUSINESS"} />
    </HydrateClient>
  );
}
