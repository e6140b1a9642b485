import type { DbTx } from "../../db/client";
import { visibleProductLines, type Actor } from "../access/actor";

/** The first screen: how big the fleet is and what state it is in (a BUSINESS user: their lines only). */
export async function fleetOverview(db: DbTx, actor: Actor) {
  const visible = visibleProductLines(actor);
  const serviceScope = visible ? { productLineId: { in: visible } } : {};
  const [hostsByStatus, instancesBySoftware, instancesByState, services, productLines] = await Promise.all([
    visible ? Promise.resolve([]) : db.host.groupBy({ by: ["status"], _count: { _all: true } }),
    db.instance.groupBy({ by: ["software"], where: { service: serviceScope }, _count: { _all: true } }),
    db.instance.groupBy({ by: ["state"], where: { service: serviceScope }, _count: { _all: true } }),
    db.service.count({ where: serviceScope }),
    db.productLine.count({ where: visible ? { id: { in: visible } } : {} }),
  ]);
  return {
    hostsByStatus: Object.fromEntries(hostsByStatus.map((g) => [g.status, g._count._all])) as Record<string, number>,
    instancesBySoftware: Object.fromEntries(instancesBySoftware.map((g) => [g.software, g._count._all])) as Record<string, number>,
    instancesByState: Object.fromEntries(instancesByState.map((g) => [g.state, g._count._all])) as Record<string, number>,
    services,
    productLines,
    seesHosts: visible === null,
  };
}
