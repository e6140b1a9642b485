import { handleRest } from "@/server/api/rest";
import { currentUserId } from "@/server/auth/session";

export const dynamic = "force-dynamic";

const handler = (req: Request) => handleRest(req, currentUserId);

export { handler as GET, handler as POST, handler as PUT, handler as PATCH, handler as DELETE };
