import { text } from "../../../lib/text";
import type { DbTx } from "../../db/client";
import { assertProductLineVisible, type Actor } from "../access/actor";
import { notFound } from "../errors";

/** The service a chart or Titan view is about, refused when the actor may not see its product line. */
export async function visibleService(db: DbTx, actor: Actor, serviceId: number) {
  const s = await db.service.findUnique({
    where: { id: serviceId },
    select: { id: true, name: true, kind: true, productLineId: true, entryHost: true, entryPort: true },
  });
  if (!s) throw notFound(text("errors.domain.notFound.service", { id: serviceId }));
  assertProductLineVisible(actor, s.productLineId);
  return s;
}
