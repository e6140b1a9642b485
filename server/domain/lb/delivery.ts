import { text, type Text } from "../../../lib/text";
import type { Db } from "../../db/client";
import { addMember, createApplication } from "./store";
import { tryHoldInTransaction } from "../../jobs/ownership";
import { poolLockKey, syncPool } from "./sync";

/** The templates delivered services start with (seeded; a DBA may change the application's afterwards). */
export const DELIVERY_HEALTH = "tcp-default";
export const DELIVERY_BALANCE = "rr-default";

type Log = { info: (m: Text | string) => Promise<void>; warn: (m: Text | string) => Promise<void> };

const toInt = (ip: string) => ip.split(".").reduce((n, o) => n * 256 + Number(o), 0);
const toIp = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join(".");

/** The first address of the pool's range with no VIP on it at all (one address per application). */
async function freeVipAddress(db: Db, range: string): Promise<string | null> {
  const [first, last] = range.split("-").map((s) => toInt(s.trim()));
  if (first === undefined || last === undefined) return null;
  const used = new Set((await db.lbVip.findMany({ select: { ip: true } })).map((v) => v.ip));
  for (let n = first; n <= last; n++) if (!used.has(toIp(n))) return toIp(n);
  return null;
}

/**
 * A delivered Twemproxy service gets an application in the delivery pool: a VIP on a free address
 * of the pool's range, on the proxies' port, with every proxy as a member. The next sync makes it
 * live. No delivery pool (or no room) is not a failed delivery: the step says so and moves on.
 */
export async function registerDeliveredService(db: Db, serviceId: number, log: Log): Promise<number | null> {
  const service = await db.service.findUniqueOrThrow({
    where: { id: serviceId },
    include: { instances: { where: { role: "PROXY" }, include: { host: true }, orderBy: { id: "asc" } } },
  });
  const existing = await db.lbApplication.findFirst({ where: { serviceId }, include: { vip: true } });
  if (existing) return existing.id; // a resumed run
  if (service.instances.length === 0) return null;
  const pool = await db.lbPool.findFirst({ where: { forDelivery: true }, orderBy: { id: "asc" } });
  const [health, balance] = await Promise.all([
    db.lbHealthCheck.findUnique({ where: { name: DELIVERY_HEALTH } }),
    db.lbBalanceConfig.findUnique({ where: { name: DELIVERY_BALANCE } }),
  ]);
  if (!pool || !health || !balance) {
    await log.warn(text("libraLog.delivery.noPool", { health: DELIVERY_HEALTH, balance: DELIVERY_BALANCE }));
    return null;
  }
  const ip = pool.vipRange ? await freeVipAddress(db, pool.vipRange) : null;
  if (!ip) {
    await log.warn(text("libraLog.delivery.noAddress", { pool: pool.name, range: pool.vipRange ?? "-" }));
    return null;
  }
  const port = service.instances[0]!.port;
  const app = await createApplication(db, null, {
    poolId: pool.id,
    name: service.name,
    serviceId,
    healthCheckId: health.id,
    balanceConfigId: balance.id,
    vip: { ip, port, protocol: "TCP" },
    members: service.instances.map((p) => ({ ip: p.host.ip, port: p.port, weight: 10, state: "ENABLED" as const })),
  });
  await log.info(text("libraLog.delivery.registered", { app: app.name, pool: pool.name, vip: `${ip}:${port}`, n: service.instances.length }));
  return app.id;
}

/** Undo of the above: the application goes (its VIP and members with it), as a pending change of its pool. */
export async function unregisterDeliveredService(db: Db, serviceId: number): Promise<void> {
  const app = await db.lbApplication.findFirst({ where: { serviceId } });
  if (!app) return;
  await db.$transaction(async (tx) => {
    await tx.lbApplication.delete({ where: { id: app.id } });
    await tx.lbChange.create({ data: { poolId: app.poolId, actorName: "system", summary: `application ${app.name} removed (its delivery was undone)` } });
  });
}

/** A cloned proxy joins the VIP of its service's application, if it has one. */
export async function addClonedProxy(db: Db, serviceId: number, ip: string, port: number, log: Log): Promise<void> {
  const app = await db.lbApplication.findFirst({ where: { serviceId }, include: { members: true } });
  if (!app) return void (await log.info(text("libraLog.delivery.noApplication")));
  if (app.members.some((m) => m.ip === ip && m.port === port)) return;
  await addMember(db, null, app.id, { ip, port, weight: app.members[0]?.weight ?? 10, state: "ENABLED" });
  await log.info(text("libraLog.delivery.memberAdded", { member: `${ip}:${port}`, app: app.name }));
}

export async function removeClonedProxy(db: Db, serviceId: number, ip: string, port: number): Promise<void> {
  const app = await db.lbApplication.findFirst({ where: { serviceId }, include: { members: true } });
  const member = app?.members.find((m) => m.ip === ip && m.port === port);
  if (!app || !member) return;
  await db.$transaction(async (tx) => {
    await tx.lbMember.delete({ where: { id: member.id } });
    await tx.lbChange.create({
      data: { poolId: app.poolId, actorName: "system", summary: `application ${app.name}: member ${ip}:${port} removed (its clone was undone)` },
    });
  });
}

/**
 * Makes a delivered service's VIP live now instead of at the next periodic sync, so the delivery can
 * verify through it and hand it out. It takes the pool's sync lock (the same key the sync workers
 * use) for one transaction; if another worker is syncing the pool, waits for that sync to take the
 * change. Returns the VIP once live, or null (the step then hands out the proxies and says why).
 */
export async function makeDeliveryVipLive(db: Db, applicationId: number, log: Log, timeoutMs = 30_000): Promise<{ host: string; port: number } | null> {
  const app = await db.lbApplication.findUniqueOrThrow({ where: { id: applicationId }, include: { vip: true } });
  if (!app.vip) return null;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const outcome = await db.$transaction(
      async (tx) => {
        return (await tryHoldInTransaction(tx, poolLockKey(app.poolId))) ? syncPool(db, app.poolId, "apply", "provisioning") : null;
      },
      { timeout: timeoutMs + 10_000 },
    );
    if (outcome?.status === "SUCCEEDED" || outcome?.status === "NOTHING_TO_DO") return { host: app.vip.ip, port: app.vip.port };
    if (outcome?.status === "FAILED") {
      await log.warn(text("libraLog.delivery.syncFailed"));
      return null;
    }
    // another worker holds the pool: a change is marked with its version once that version is live
    if ((await db.lbChange.count({ where: { poolId: app.poolId, versionId: null } })) === 0) return { host: app.vip.ip, port: app.vip.port };
    await new Promise((r) => setTimeout(r, 500));
  }
  await log.warn(text("libraLog.delivery.notLive", { seconds: timeoutMs / 1000 }));
  return null;
}
