import { getServerSession } from "next-auth";
import { db } from "../db/client";
import { authOptions } from "./options";

/**
 * The signed-in user id, or null. Pages and the tRPC route both start here. A session signed
 * before the user's password changed or was reset (an older sessionVersion) has ended.
 */
export async function currentUserId(): Promise<number | null> {
  const session = await getServerSession(authOptions);
  const id = session?.user?.id;
  if (typeof id !== "number" || !Number.isInteger(id)) return null;
  const user = await db().user.findUnique({ where: { id }, select: { sessionVersion: true } });
  return user && user.sessionVersion === (session!.user.sessionVersion ?? 0) ? id : null;
}

export async function currentSession() {
  return getServerSession(authOptions);
}
