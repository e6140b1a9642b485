import type { DbTx } from "../../db/client";
import type { Actor } from "../access/actor";

/** The latest notices of the signed-in user and how many are unread. */
export async function myNotifications(db: DbTx, actor: Actor) {
  const [unread, rows] = await Promise.all([
    db.notification.count({ where: { userId: actor.id, readAt: null } }),
    db.notification.findMany({ where: { userId: actor.id }, orderBy: { id: "desc" }, take: 20 }),
  ]);
  return { unread, rows };
}

export async function markAllRead(db: DbTx, actor: Actor) {
  await db.notification.updateMany({ where: { userId: actor.id, readAt: null }, data: { readAt: new Date() } });
}
