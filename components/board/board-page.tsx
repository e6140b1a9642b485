import { Forbidden } from "@/components/shell/forbidden";
import { can, isScoped } from "@/lib/roles";
import { missingRole, requireActor } from "@/server/auth/page-guard";
import { getQueryClient, HydrateClient, trpc } from "@/trpc/server";
import { BoardView } from "./board-view";

/** The board's server half, for /board and /board/tv: role check, first data hydrated. TV mode has nothing to click. */
export async function BoardPage({ tv }: { tv: boolean }) {
  const actor = await requireActor();
  const missing = missingRole(actor, "/board");
  if (missing) return <Forbidden roles={missing} />;
  await getQueryClient().prefetchQuery(trpc.board.get.queryOptions());
  return (
    <HydrateClient>
      <BoardView tv={tv} canAck={!tv && can(actor.role, "acknowledge")} scoped={isScoped(actor.role)} />
    </HydrateClient>
  );
}
