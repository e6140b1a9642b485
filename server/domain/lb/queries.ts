import { text } from "../../../lib/text";
import type { Db } from "../../db/client";
import { notFound } from "../errors";
import { PLUGINS } from "./plugins";

/** Pools with what the overview shows: applications, pending changes, the live version, the last run. */
export async function listPools(db: Db) {
  const pools = await db.lbPool.findMany({
    orderBy: { id: "asc" },
    include: { servers: { orderBy: { id: "asc" } }, _count: { select: { applications: true } } },
  });
  return Promise.all(
    pools.map(async (p) => {
      const [pending, live, lastRun] = await Promise.all([
        db.lbChange.count({ where: { poolId: p.id, versionId: null } }),
        db.lbVersion.findFirst({ where: { poolId: p.id }, orderBy: { number: "desc" }, select: { number: true, createdAt: true } }),
        db.lbSyncRun.findFirst({
          where: { poolId: p.id },
          orderBy: { id: "desc" },
          select: { id: true, status: true, trigger: true, startedAt: true, error: true },
        }),
      ]);
      return {
        id: p.id,
        name: p.name,
        backend: p.backend,
        description: p.description,
        statsPort: p.statsPort,
        servers: p.servers.map((s) => s.ip),
        applications: p._count.applications,
        pending,
        live,
        lastRun,
      };
    }),
  );
}

export async function getPool(db: Db, poolId: number) {
  const pool = await db.lbPool.findUnique({
    where: { id: poolId },
    include: {
      servers: { orderBy: { id: "asc" }, include: { health: true } },
      applications: {
        orderBy: { id: "asc" },
        include: {
          vip: true,
          healthCheck: { select: { name: true, kind: true } },
          balanceConfig: { select: { name: true, algorithm: true, lvsKind: true } },
          service: { select: { id: true, name: true } },
          members: { select: { state: true } },
        },
      },
    },
  });
  if (!pool) throw notFound(text("errors.domain.notFound.pool", { id: poolId }));
  const pending = await db.lbChange.findMany({ where: { poolId, versionId: null }, orderBy: { id: "asc" } });
  const lastOk = await db.lbSyncRun.findFirst({
    where: { poolId, status: "SUCCEEDED", versionId: { not: null } },
    orderBy: { id: "desc" },
    select: { finishedAt: true },
  });
  return {
    ...pool,
    applications: pool.applications.map(({ members, ...a }) => ({
      ...a,
      members: {
        total: members.length,
        enabled: members.filter((m) => m.state === "ENABLED").length,
        draining: members.filter((m) => m.state === "DRAINING").length,
        disabled: members.filter((m) => m.state === "DISABLED").length,
      },
    })),
    pending,
    lastSyncedAt: lastOk?.finishedAt ?? null,
  };
}

export async function getApplication(db: Db, appId: number) {
  const app = await db.lbApplication.findUnique({
    where: { id: appId },
    include: {
      pool: true,
      vip: true,
      healthCheck: true,
      balanceConfig: true,
      service: { select: { id: true, name: true } },
      members: { orderBy: { id: "asc" } },
    },
  });
  if (!app) throw notFound(text("errors.domain.notFound.application", { id: appId }));
  // A member is live as the database says once no change of its pool waits for a sync.
  const pending = await db.lbChange.count({ where: { poolId: app.poolId, versionId: null } });
  return { ...app, pending };
}

export async function listTemplates(db: Db) {
  const [healthChecks, balanceConfigs] = await Promise.all([
    db.lbHealthCheck.findMany({ orderBy: { name: "asc" }, include: { _count: { select: { applications: true } } } }),
    db.lbBalanceConfig.findMany({ orderBy: { name: "asc" }, include: { _count: { select: { applications: true } } } }),
  ]);
  return { healthChecks, balanceConfigs };
}

export const listVersions = (db: Db, poolId: number) =>
  db.lbVersion.findMany({
    where: { poolId },
    orderBy: { number: "desc" },
    select: { id: true, number: true, reason: true, restoredFrom: true, actorName: true, createdAt: true, sha256: true, _count: { select: { changes: true } } },
  });

export async function getVersion(db: Db, poolId: number, number: number) {
  const v = await db.lbVersion.findUnique({ where: { poolId_number: { poolId, number } }, include: { changes: { orderBy: { id: "asc" } } } });
  if (!v) throw notFound(text("refusals.libra.noVersion", { pool: poolId, number }));
  return {
    number: v.number,
    reason: v.reason,
    restoredFrom: v.restoredFrom,
    actorName: v.actorName,
    createdAt: v.createdAt,
    config: v.config,
    changes: v.changes.map((c) => ({ id: c.id, at: c.at, summary: c.summary, actorName: c.actorName, emergency: c.emergency })),
  };
}

export const listRuns = (db: Db, poolId: number, limit: number) =>
  db.lbSyncRun.findMany({
    where: { poolId },
    orderBy: { id: "desc" },
    take: limit,
    select: { id: true, trigger: true, status: true, startedAt: true, finishedAt: true, error: true, version: { select: { number: true } } },
  });

export async function getRun(db: Db, runId: number) {
  const run = await db.lbSyncRun.findUnique({
    where: { id: runId },
    include: { version: { select: { number: true } }, pool: { select: { id: true, name: true } } },
  });
  if (!run) throw notFound(text("refusals.libra.noRun", { id: runId }));
  return run;
}

/** What each backend supports, for the forms (the API enforces the same). */
export const capabilities = () =>
  Object.values(PLUGINS).map((p) => ({
    backend: p.backend,
    algorithms: [...p.algorithms],
    lvsKinds: [...p.lvsKinds],
    checkKinds: [...p.checkKinds],
    protocols: [...p.protocols],
    maxWeight: p.maxWeight,
  }));

/** That the pool exists, without loading its applications. */
export async function requirePool(db: Db, poolId: number): Promise<void> {
  if ((await db.lbPool.count({ where: { id: poolId } })) === 0) throw notFound(text("errors.domain.notFound.pool", { id: poolId }));
}
