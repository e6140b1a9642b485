import { getServerSession } from "next-auth";
import { authOptions } from "./options";

/** The signed-in user id, or null. Pages and the tRPC route both start here. */
export async function currentUserId(): Promise<number | null> {
  const session = await getServerSession(authOptions);
  const id = session?.user?.id;
  return typeof id === "number" && Number.isInteger(id) ? id : null;
}

export async function currentSession() {
  return getServerSession(authOptions);
}
