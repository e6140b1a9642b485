import type { DbTx } from "../../db/client";
import { parseReasons } from "../health/board-order";
import type { Actor } from "../access/actor";
import { observedInclude } from "../healing/observed";
import { visibleService } from "./service-scope";

/** A service's instances with the health rules' latest verdict on each (UNKNOWN before the first poll). */
export async function instanceHealth(db: DbTx, actor: Actor, serviceId: number) {
  await visibleService(db, actor, serviceId);
  const rows = await db.instance.findMany({
    where: { serviceId },
    orderBy: [{ shardIndex: "asc" }, { role: "asc" }, { port: "asc" }],
    select: {
      id: true,
      role: true,
      shardIndex: true,
      port: true,
      state: true,
      maintenanceUntil: true,
      maintenanceNote: true,
      software: true,
      host: { select: { ip: true } },
      health: true,
      restartHold: observedInclude.restartHold,
    },
  });
  return rows.map((i) => ({
    id: i.id,
    address: `${i.host.ip}:${i.port}`,
    role: i.role,
    software: i.software,
    shardIndex: i.shardIndex,
    state: i.state,
    level: i.health?.level ?? ("UNKNOWN" as const),
    reasons: parseReasons(i.health?.reasons),
    since: i.health?.since ?? null,
    checkedAt: i.health?.checkedAt ?? null,
    // desired beside observed (see components/instances/observed.ts)
    observed: { state: i.state, maintenanceUntil: i.maintenanceUntil, maintenanceNote: i.maintenanceNote, health: i.health, restartHold: i.restartHold },
  }));
}
