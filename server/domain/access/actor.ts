import { text } from "../../../lib/text";
import type { DbTx } from "../../db/client";
import type { Role } from "../../../generated/prisma/enums";
import { isScoped } from "../../../lib/roles";
import { forbidden } from "../errors";

/** Who is acting, as read from the database for this call (never trusted from the session alone). */
export type Actor = {
  id: number;
  username: string;
  role: Role;
  /** product lines the user belongs to; what a BUSINESS user may see */
  productLineIds: number[];
  /** a fresh install's admin must choose a password before anything else */
  mustChangePassword: boolean;
  /** set when the call came with an API token: the role above is the token's, never more than the owner's */
  token?: { id: number; name: string; readOnly: boolean };
};

export async function loadActor(db: DbTx, userId: number): Promise<Actor | null> {
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { id: true, username: true, role: true, disabled: true, mustChangePassword: true, memberships: { select: { productLineId: true } } },
  });
  if (!user || user.disabled) return null;
  return {
    id: user.id,
    username: user.username,
    role: user.role,
    productLineIds: user.memberships.map((m) => m.productLineId),
    mustChangePassword: user.mustChangePassword,
  };
}

/** null = every product line; otherwise the only product line ids this actor may see. */
export function visibleProductLines(actor: Actor): number[] | null {
  return isScoped(actor.role) ? actor.productLineIds : null;
}

export function assertProductLineVisible(actor: Actor, productLineId: number): void {
  const visible = visibleProductLines(actor);
  if (visible && !visible.includes(productLineId)) {
    throw forbidden(text("refusals.access.notMember", { id: productLineId }));
  }
}
