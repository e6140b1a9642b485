import { text } from "../../../lib/text";
import type { Db } from "../../db/client";
import type { Actor } from "../access/actor";
import { conflict, notFound } from "../errors";
import type { PoolModel } from "./model";
import { recordChange } from "./store";

/**
 * Restores the model a version was rendered from (applications, VIPs, members with their ids),
 * in one transaction, as a pending change marked with the version it restores; the sync that
 * follows makes it live as a new version. Templates are shared between pools, so they are not
 * rewound: an application gets the template it had, as that template reads today.
 */
export async function restoreVersion(db: Db, actor: Actor, poolId: number, number: number) {
  const version = await db.lbVersion.findUnique({ where: { poolId_number: { poolId, number } } });
  if (!version) throw notFound(text("refusals.libra.noVersion", { pool: poolId, number }));
  const model = version.model as unknown as PoolModel;
  return db.$transaction(async (tx) => {
    const ids = model.applications.map((a) => a.id);
    for (const a of model.applications) {
      if (a.vip) {
        const other = await tx.lbVip.findUnique({ where: { ip_port_protocol: a.vip }, include: { application: true } });
        if (other && other.application.poolId !== poolId) {
          throw conflict(
            text("refusals.libra.versionVipTaken", { number, vip: `${a.vip.ip}:${a.vip.port}`, appId: other.applicationId, app: other.application.name }),
          );
        }
      }
      const named = await tx.lbApplication.findUnique({ where: { name: a.name } });
      if (named && named.poolId !== poolId) throw conflict(text("refusals.libra.versionNameTaken", { number, app: a.name }));
    }
    const templates = {
      health: new Set((await tx.lbHealthCheck.findMany({ select: { id: true } })).map((h) => h.id)),
      balance: new Set((await tx.lbBalanceConfig.findMany({ select: { id: true } })).map((b) => b.id)),
    };
    const services = new Set(
      (await tx.service.findMany({ where: { id: { in: model.applications.flatMap((a) => (a.serviceId ? [a.serviceId] : [])) } }, select: { id: true } })).map(
        (s) => s.id,
      ),
    );
    await tx.lbApplication.deleteMany({ where: { poolId } });
    for (const a of model.applications) {
      if (!templates.health.has(a.healthCheck.id) || !templates.balance.has(a.balance.id))
        throw conflict(text("refusals.libra.versionTemplateGone", { number, app: a.name }));
      await tx.lbApplication.create({
        data: {
          id: a.id,
          name: a.name,
          poolId,
          serviceId: a.serviceId && services.has(a.serviceId) ? a.serviceId : null,
          healthCheckId: a.healthCheck.id,
          balanceConfigId: a.balance.id,
          vip: a.vip ? { create: a.vip } : undefined,
          members: { create: a.members.map((m) => ({ id: m.id, ip: m.ip, port: m.port, weight: m.weight, state: m.state })) },
        },
      });
    }
    await recordChange(
      tx,
      actor,
      poolId,
      {
        action: "libra.pool.rollback",
        entityType: "LbPool",
        entityId: poolId,
        summary: `rolled back to version ${number} (${ids.length} application(s))`,
        after: { version: number },
      },
      { restoredFrom: number },
    );
  });
}
