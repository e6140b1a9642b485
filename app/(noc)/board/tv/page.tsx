import { BoardView } from "@/components/board/board-view";
import { Forbidden } from "@/components/shell/forbidden";
import { rolesFor } from "@/components/shell/nav";
import { missingRole, requireActor } from "@/server/auth/page-guard";
import { getQueryClient, HydrateClient, trpc } from "@/trpc/server";

/** TV mode for the NOC wall: read from 5 metres, nothing to click. */
export default async function BoardTvPage() {
  const actor = await requireActor();
  const missing = missingRole(actor, rolesFor("/board"));
  if (missing) return <Forbidden roles={missing} />;
  await getQueryClient().prefetchQuery(trpc.board.get.queryOptions());
  return (
    <HydrateClient>
      <BoardView tv canAck={false} scoped={actor.role === "BUSINESS"} />
    </HydrateClient>
  );
}
