import "server-only";
import { redirect } from "next/navigation";
import type { Role } from "../../generated/prisma/enums";
import { db } from "../db/client";
import { loadActor, type Actor } from "../domain/access/actor";
import { currentUserId } from "./session";
import { rolesFor, type PagePath } from "../../lib/roles";

/** For pages: the signed-in actor (role read from the database), or a redirect to sign-in. */
export async function requireActor(): Promise<Actor> {
  const id = await currentUserId();
  const actor = id === null ? null : await loadActor(db(), id);
  if (!actor) redirect("/signin");
  if (actor.mustChangePassword) redirect("/change-password");
  return actor;
}

/** null when the actor may open the page; otherwise the roles that may (lib/roles.ts). The API enforces the same. */
export function missingRole(actor: Actor, page: PagePath): readonly Role[] | null {
  const roles = rolesFor(page);
  return roles.includes(actor.role) ? null : roles;
}
