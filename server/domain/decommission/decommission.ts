import type { Prisma } from "../../../generated/prisma/client";
import { text } from "../../../lib/text";
import type { Db, DbTx } from "../../db/client";
import { assertProductLineVisible, type Actor } from "../access/actor";
import { recordAudit } from "../audit/record";
import { conflict, notFound, precondition } from "../errors";
import { loadTarget } from "../operations/target";
import { withRedis } from "../provisioning/deploy/probes";

export const DECOMMISSION_KIND = "service.decommission";

/**
 * A business user (of the service's line) or a DBA asks to retire a whole service: a request in the
 * same approval queue as new services, which a DBA approves or rejects. One open ask per service.
 */
export async function askDecommission(db: Db, actor: Actor, serviceId: number, reason: string) {
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT "id" FROM "Service" WHERE "id" = ${serviceId} FOR UPDATE`;
    const s = await tx.service.findUnique({ where: { id: serviceId } });
    if (!s) throw notFound(text("errors.domain.notFound.service", { id: serviceId }));
    assertProductLineVisible(actor, s.productLineId);
    if (s.isDemo || s.status === "DECOMMISSIONED") throw precondition(text("backups.errors.notLive", { service: s.name }));
    const open = await tx.resourceRequest.findFirst({
      where: { action: { not: "PROVISION" }, targetServiceId: s.id, status: { in: ["SUBMITTED", "APPROVED", "PROVISIONING"] } },
    });
    if (open) throw conflict(text("decommission.errors.open", { service: s.name, request: open.id }));
    const request = await tx.resourceRequest.create({
      data: {
        productLineId: s.productLineId,
        requesterId: actor.id,
        kind: s.kind,
        action: "DECOMMISSION",
        targetServiceId: s.id,
        purpose: reason,
        form: { serviceId: s.id, service: s.name } as Prisma.InputJsonValue,
        plan: {},
        status: "SUBMITTED",
      },
    });
    await recordAudit(tx, actor, {
      action: "request.submit",
      entityType: "ResourceRequest",
      entityId: request.id,
      text: text("auditLog.decommission.request", { service: s.name, request: request.id, reason }),
      after: { action: "DECOMMISSION", targetServiceId: s.id },
    });
    return request;
  });
}

export type ConnectedClient = { instance: string; addr: string; user: string; name: string; ageSec: number; idleSec: number };

/**
 * Who is still connected, from CLIENT LIST on every Redis of the service: Hedwig's own users
 * (operations, replication, Sentinel) left out. Behind Twemproxy, Redis sees only the proxies.
 */
export async function connectedClients(db: DbTx, serviceId: number): Promise<{ clients: ConnectedClient[]; unreachable: string[] }> {
  const instances = await db.instance.findMany({ where: { serviceId, software: "REDIS", state: "RUNNING" }, select: { id: true } });
  const clients: ConnectedClient[] = [];
  const unreachable: string[] = [];
  for (const { id } of instances) {
    const t = await loadTarget(db, id);
    const list = await withRedis(t, (r) => r.call("CLIENT", "LIST") as Promise<string>).catch(() => null);
    if (list === null) {
      unreachable.push(t.address);
      continue;
    }
    for (const line of list.split("\n").filter(Boolean)) {
      const f = Object.fromEntries(line.split(" ").map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]));
      if (f.user?.startsWith("hedwig-") || (f.flags ?? "").includes("S") || (f.flags ?? "").includes("M")) continue;
      clients.push({
        instance: t.address,
        addr: f.addr ?? "?",
        user: f.user ?? "?",
        name: f.name ?? "",
        ageSec: Number(f.age ?? 0),
        idleSec: Number(f.idle ?? 0),
      });
    }
  }
  return { clients, unreachable };
}

/** What a DBA sees before approving a retirement: the service, its VIPs and who is still connected. */
export async function decommissionPreview(db: DbTx, actor: Actor, requestId: number) {
  const r = await db.resourceRequest.findUnique({ where: { id: requestId } });
  if (!r || r.action !== "DECOMMISSION" || !r.targetServiceId) throw notFound(text("errors.domain.notFound.request", { id: requestId }));
  assertProductLineVisible(actor, r.productLineId);
  const s = await db.service.findUniqueOrThrow({
    where: { id: r.targetServiceId },
    select: { id: true, name: true, status: true, lbApplications: { select: { name: true, vip: { select: { ip: true, port: true } } } } },
  });
  return {
    service: { id: s.id, name: s.name, status: s.status },
    vips: s.lbApplications.map((a) => ({ app: a.name, vip: a.vip ? `${a.vip.ip}:${a.vip.port}` : null })),
    ...(s.status === "DECOMMISSIONED" ? { clients: [], unreachable: [] } : await connectedClients(db, s.id)),
  };
}
