import { text } from "../../../lib/text";
import type { Db, DbTx } from "../../db/client";
import type { Actor } from "../access/actor";
import { recordAudit } from "../audit/record";
import { badInput, conflict, notFound } from "../errors";
import { checkBalance, checkHealth, checkMemberPort, checkProtocol, checkWeight } from "./checks";
import type { PoolModel } from "./model";
import { PLUGINS, type LbPlugin } from "./plugins";
import type { ApplicationInput, BalanceConfigInput, HealthCheckInput, MemberInput, MemberUpdate, PoolInput, VipInput } from "./schemas";
import { assertVipPlaceable, inVipRanges } from "./vip-listeners";

/**
 * The pool as its plugin renders it. Flat reads grouped here rather than one nested include: a pool
 * of 1,000 applications × 10 members loads several times faster, and the sync waits on it.
 */
export async function loadPoolModel(db: DbTx, poolId: number): Promise<PoolModel> {
  const pool = await db.lbPool.findUnique({ where: { id: poolId } });
  if (!pool) throw notFound(text("errors.domain.notFound.pool", { id: poolId }));
  const [apps, vips, members, checks, balances] = await Promise.all([
    db.lbApplication.findMany({
      where: { poolId },
      orderBy: { id: "asc" },
      select: { id: true, name: true, serviceId: true, healthCheckId: true, balanceConfigId: true },
    }),
    db.lbVip.findMany({ where: { application: { poolId } }, select: { applicationId: true, ip: true, port: true, protocol: true } }),
    db.lbMember.findMany({
      where: { application: { poolId } },
      orderBy: { id: "asc" },
      select: { id: true, applicationId: true, ip: true, port: true, weight: true, state: true },
    }),
    db.lbHealthCheck.findMany(),
    db.lbBalanceConfig.findMany(),
  ]);
  const vipOf = new Map(vips.map((v) => [v.applicationId, { ip: v.ip, port: v.port, protocol: v.protocol }]));
  const membersOf = new Map<number, PoolModel["applications"][number]["members"]>();
  for (const { applicationId, ...m } of members) (membersOf.get(applicationId) ?? membersOf.set(applicationId, []).get(applicationId)!).push(m);
  const checkOf = new Map(checks.map((h) => [h.id, h]));
  const balanceOf = new Map(
    balances.map((b) => [b.id, { id: b.id, name: b.name, algorithm: b.algorithm, lvsKind: b.lvsKind, persistenceSeconds: b.persistenceSeconds }]),
  );
  return {
    id: pool.id,
    name: pool.name,
    backend: pool.backend,
    statsPort: pool.statsPort,
    applications: apps.map((a) => ({
      id: a.id,
      name: a.name,
      serviceId: a.serviceId,
      vip: vipOf.get(a.id) ?? null,
      healthCheck: checkOf.get(a.healthCheckId)!,
      balance: balanceOf.get(a.balanceConfigId)!,
      members: membersOf.get(a.id) ?? [],
    })),
  };
}

/** Notes a change for the pool's next sync and audits it, in the caller's transaction. */
export async function recordChange(
  tx: DbTx,
  actor: Actor | null,
  poolId: number,
  entry: { action: string; entityType: string; entityId: number; summary: string; before?: unknown; after?: unknown },
  flags: { emergency?: boolean; restoredFrom?: number } = {},
) {
  await tx.lbChange.create({
    data: {
      poolId,
      actorName: actor?.username ?? "system",
      summary: entry.summary,
      emergency: flags.emergency ?? false,
      restoredFrom: flags.restoredFrom ?? null,
    },
  });
  await recordAudit(tx, actor, entry);
}

async function takenVip(tx: DbTx, vip: VipInput, exceptAppId?: number) {
  const other = await tx.lbVip.findUnique({
    where: { ip_port_protocol: { ip: vip.ip, port: vip.port, protocol: vip.protocol } },
    include: { application: true },
  });
  if (other && other.applicationId !== exceptAppId) {
    throw conflict(
      text("errors.domain.libra.vipUsed", {
        vip: `${vip.ip}:${vip.port}/${vip.protocol.toLowerCase()}`,
        appId: other.applicationId,
        app: other.application.name,
      }),
    );
  }
}

const LOOPBACK = /^127\./;

/** A demo (LOCAL) load balancer lives on this machine: it can only bind loopback VIPs. */
async function bindableVip(tx: DbTx, poolId: number, vip: VipInput) {
  const local = await tx.lbServer.count({ where: { poolId, executor: "LOCAL" } });
  if (local > 0 && !LOOPBACK.test(vip.ip)) throw badInput(text("errors.domain.libra.vipLoopback", { ip: vip.ip }));
  const pool = await tx.lbPool.findUniqueOrThrow({ where: { id: poolId }, select: { name: true, vipRange: true } });
  await assertVipPlaceable(tx, pool, vip);
}

async function knownHost(tx: DbTx, ip: string) {
  if (!(await tx.host.findUnique({ where: { ip }, select: { id: true } }))) throw badInput(text("errors.domain.libra.memberNotHost", { ip }));
}

async function appContext(tx: DbTx, appId: number) {
  const app = await tx.lbApplication.findUnique({
    where: { id: appId },
    include: { pool: true, vip: true, balanceConfig: true, healthCheck: true, members: true },
  });
  if (!app) throw notFound(text("errors.domain.notFound.application", { id: appId }));
  return { app, plugin: PLUGINS[app.pool.backend] };
}

type AppCtx = Awaited<ReturnType<typeof appContext>>;

async function checkMember(tx: DbTx, { app, plugin }: AppCtx, m: MemberInput, exceptId?: number) {
  checkWeight(plugin, m.weight);
  checkMemberPort(plugin, app.balanceConfig.lvsKind, app.vip?.port ?? null, m);
  await knownHost(tx, m.ip);
  const dup = app.members.find((x) => x.ip === m.ip && x.port === m.port && x.id !== exceptId);
  if (dup) throw conflict(text("errors.domain.libra.memberInApp", { member: `${m.ip}:${m.port}`, app: app.name }));
}

/** Sets the addresses the pool's VIPs may take; a VIP already placed outside them stays (it is live) and the answer names it. */
export async function setPoolVipRange(db: Db, actor: Actor, poolId: number, vipRange: string) {
  return db.$transaction(async (tx) => {
    const pool = await tx.lbPool.findUnique({ where: { id: poolId }, include: { applications: { include: { vip: true } } } });
    if (!pool) throw notFound(text("errors.domain.notFound.pool", { id: poolId }));
    await tx.lbPool.update({ where: { id: poolId }, data: { vipRange } });
    await recordAudit(tx, actor, {
      action: "libra.pool.vipRange",
      entityType: "LbPool",
      entityId: poolId,
      summary: `VIP range of pool ${pool.name}: ${pool.vipRange ?? "(none)"} → ${vipRange}`,
      before: { vipRange: pool.vipRange },
      after: { vipRange },
    });
    return { vipRange, outside: pool.applications.flatMap((a) => (a.vip && !inVipRanges(vipRange, a.vip.ip) ? [{ application: a.name, ip: a.vip.ip }] : [])) };
  });
}

export async function createPool(db: Db, actor: Actor, input: PoolInput) {
  if (await db.lbPool.findUnique({ where: { name: input.name } })) throw conflict(text("errors.domain.libra.poolExists", { name: input.name }));
  if (input.backend === "LVS" && input.statsPort) throw badInput(text("errors.domain.libra.lvsStats"));
  if (input.backend === "HAPROXY" && !input.statsPort) throw badInput(text("errors.domain.libra.haproxyStats"));
  for (const s of input.servers) {
    if (s.executor === "SSH") throw badInput(text("refusals.libra.serverSsh", { ip: s.ip }));
    if (!LOOPBACK.test(s.ip)) throw badInput(text("errors.domain.libra.serverLoopback", { ip: s.ip }));
  }
  return db.$transaction(async (tx) => {
    const pool = await tx.lbPool.create({
      data: {
        name: input.name,
        backend: input.backend,
        description: input.description,
        statsPort: input.backend === "HAPROXY" ? input.statsPort : null,
        vipRange: input.vipRange,
        configPath: input.backend === "HAPROXY" ? `/etc/hedwig-lb/${input.name}/haproxy.cfg` : `/etc/hedwig-lb/${input.name}/keepalived.conf`,
        servers: { create: input.servers },
      },
    });
    await recordAudit(tx, actor, {
      action: "libra.pool.create",
      entityType: "LbPool",
      entityId: pool.id,
      summary: `created ${input.backend} pool ${input.name}`,
      after: input,
    });
    return pool;
  });
}

/** A template change reaches every application using it, so it is checked against each one's pool. */
async function usersOf(tx: DbTx, where: { healthCheckId: number } | { balanceConfigId: number }) {
  return tx.lbApplication.findMany({ where, include: { pool: true, vip: true, members: true } });
}

/** A saved template is a pending change of every pool whose applications use it; audited once. */
async function templateSaved(
  tx: DbTx,
  actor: Actor,
  what: { label: string; action: string; entityType: string },
  users: { poolId: number }[],
  row: { id: number; name: string },
  audit: { before: unknown; after: unknown; created: boolean },
) {
  for (const poolId of new Set(users.map((a) => a.poolId))) {
    await tx.lbChange.create({ data: { poolId, actorName: actor.username, summary: `${what.label} ${row.name} changed` } });
  }
  const verb = audit.created ? "created" : "changed";
  await recordAudit(tx, actor, {
    action: `${what.action}.${audit.created ? "create" : "update"}`,
    entityType: what.entityType,
    entityId: row.id,
    summary: `${verb} ${what.label} ${row.name}`,
    before: audit.before,
    after: audit.after,
  });
}

export async function saveHealthCheck(db: Db, actor: Actor, input: HealthCheckInput, id?: number) {
  return db.$transaction(async (tx) => {
    const users = id ? await usersOf(tx, { healthCheckId: id }) : [];
    for (const a of users) checkHealth(PLUGINS[a.pool.backend], input);
    const before = id ? await tx.lbHealthCheck.findUnique({ where: { id } }) : null;
    if (id && !before) throw notFound(text("errors.domain.notFound.healthCheck", { id }));
    const row = id ? await tx.lbHealthCheck.update({ where: { id }, data: input }) : await tx.lbHealthCheck.create({ data: input });
    await templateSaved(tx, actor, { label: "health check", action: "libra.health", entityType: "LbHealthCheck" }, users, row, {
      before,
      after: input,
      created: !id,
    });
    return row;
  });
}

export async function saveBalanceConfig(db: Db, actor: Actor, input: BalanceConfigInput, id?: number) {
  return db.$transaction(async (tx) => {
    const users = id ? await usersOf(tx, { balanceConfigId: id }) : [];
    for (const a of users) {
      const plugin = PLUGINS[a.pool.backend];
      checkBalance(plugin, input);
      for (const m of a.members) checkMemberPort(plugin, input.lvsKind, a.vip?.port ?? null, m);
    }
    const before = id ? await tx.lbBalanceConfig.findUnique({ where: { id } }) : null;
    if (id && !before) throw notFound(text("errors.domain.notFound.balanceConfig", { id }));
    const row = id ? await tx.lbBalanceConfig.update({ where: { id }, data: input }) : await tx.lbBalanceConfig.create({ data: input });
    await templateSaved(tx, actor, { label: "balance config", action: "libra.balance", entityType: "LbBalanceConfig" }, users, row, {
      before,
      after: input,
      created: !id,
    });
    return row;
  });
}

/** The two templates an application uses, each checked against the pool's backend. */
async function templatesFor(tx: DbTx, plugin: LbPlugin, t: { healthCheckId: number; balanceConfigId: number }) {
  const [health, balance] = await Promise.all([
    tx.lbHealthCheck.findUnique({ where: { id: t.healthCheckId } }),
    tx.lbBalanceConfig.findUnique({ where: { id: t.balanceConfigId } }),
  ]);
  if (!health) throw notFound(text("errors.domain.notFound.healthCheck", { id: t.healthCheckId }));
  if (!balance) throw notFound(text("errors.domain.notFound.balanceConfig", { id: t.balanceConfigId }));
  checkHealth(plugin, health);
  checkBalance(plugin, balance);
  return { health, balance };
}

/** Pool, templates, VIP and members checked first, then written in one transaction (the guided flow's one call). */
export async function createApplication(db: Db | DbTx, actor: Actor | null, input: ApplicationInput) {
  const run = async (tx: DbTx) => {
    const pool = await tx.lbPool.findUnique({ where: { id: input.poolId } });
    if (!pool) throw notFound(text("errors.domain.notFound.pool", { id: input.poolId }));
    const plugin = PLUGINS[pool.backend];
    const { health, balance } = await templatesFor(tx, plugin, input);
    if (await tx.lbApplication.findUnique({ where: { name: input.name } })) throw conflict(text("errors.domain.libra.appExists", { name: input.name }));
    if (input.serviceId && !(await tx.service.findUnique({ where: { id: input.serviceId } })))
      throw notFound(text("errors.domain.notFound.service", { id: input.serviceId }));
    if (input.vip) {
      checkProtocol(plugin, input.vip.protocol);
      await bindableVip(tx, pool.id, input.vip);
      await takenVip(tx, input.vip);
    }
    const seen = new Set<string>();
    for (const m of input.members) {
      checkWeight(plugin, m.weight);
      checkMemberPort(plugin, balance.lvsKind, input.vip?.port ?? null, m);
      await knownHost(tx, m.ip);
      if (seen.has(`${m.ip}:${m.port}`)) throw conflict(text("errors.domain.libra.memberTwice", { member: `${m.ip}:${m.port}` }));
      seen.add(`${m.ip}:${m.port}`);
    }
    const app = await tx.lbApplication.create({
      data: {
        name: input.name,
        poolId: pool.id,
        serviceId: input.serviceId,
        healthCheckId: health.id,
        balanceConfigId: balance.id,
        vip: input.vip ? { create: input.vip } : undefined,
        members: { create: input.members },
      },
    });
    const vip = input.vip ? ` on ${input.vip.ip}:${input.vip.port}` : "";
    await recordChange(tx, actor, pool.id, {
      action: "libra.app.create",
      entityType: "LbApplication",
      entityId: app.id,
      summary: `application ${app.name} created${vip} with ${input.members.length} member(s)`,
      after: input,
    });
    return app;
  };
  return "$transaction" in db ? (db as Db).$transaction(run) : run(db);
}

export async function setVip(db: Db, actor: Actor, appId: number, vip: VipInput) {
  return db.$transaction(async (tx) => {
    const ctx = await appContext(tx, appId);
    checkProtocol(ctx.plugin, vip.protocol);
    await bindableVip(tx, ctx.app.poolId, vip);
    await takenVip(tx, vip, appId);
    for (const m of ctx.app.members) checkMemberPort(ctx.plugin, ctx.app.balanceConfig.lvsKind, vip.port, m);
    const row = await tx.lbVip.upsert({ where: { applicationId: appId }, create: { applicationId: appId, ...vip }, update: vip });
    await recordChange(tx, actor, ctx.app.poolId, {
      action: "libra.vip.set",
      entityType: "LbApplication",
      entityId: appId,
      summary: `application ${ctx.app.name}: VIP ${vip.ip}:${vip.port}/${vip.protocol.toLowerCase()}`,
      before: ctx.app.vip,
      after: vip,
    });
    return row;
  });
}

export async function setTemplates(db: Db, actor: Actor, appId: number, t: { healthCheckId: number; balanceConfigId: number }) {
  return db.$transaction(async (tx) => {
    const ctx = await appContext(tx, appId);
    const { health, balance } = await templatesFor(tx, ctx.plugin, t);
    for (const m of ctx.app.members) checkMemberPort(ctx.plugin, balance.lvsKind, ctx.app.vip?.port ?? null, m);
    await tx.lbApplication.update({ where: { id: appId }, data: t });
    await recordChange(tx, actor, ctx.app.poolId, {
      action: "libra.app.templates",
      entityType: "LbApplication",
      entityId: appId,
      summary: `application ${ctx.app.name}: health ${health.name}, balance ${balance.name}`,
      before: { healthCheckId: ctx.app.healthCheckId, balanceConfigId: ctx.app.balanceConfigId },
      after: t,
    });
  });
}

export async function addMember(db: Db | DbTx, actor: Actor | null, appId: number, m: MemberInput) {
  const run = async (tx: DbTx) => {
    const ctx = await appContext(tx, appId);
    await checkMember(tx, ctx, m);
    const row = await tx.lbMember.create({ data: { applicationId: appId, ...m } });
    await recordChange(tx, actor, ctx.app.poolId, {
      action: "libra.member.add",
      entityType: "LbMember",
      entityId: row.id,
      summary: `application ${ctx.app.name}: member ${m.ip}:${m.port} added (weight ${m.weight}, ${m.state.toLowerCase()})`,
      after: m,
    });
    return row;
  };
  return "$transaction" in db ? (db as Db).$transaction(run) : run(db);
}

export async function memberContext(tx: DbTx, memberId: number) {
  const member = await tx.lbMember.findUnique({ where: { id: memberId } });
  if (!member) throw notFound(text("errors.domain.notFound.member", { id: memberId }));
  return { member, ...(await appContext(tx, member.applicationId)) };
}

/** The sync path's member edit; the emergency path (emergency.ts) applies the same at once. */
export async function updateMember(db: Db, actor: Actor, u: MemberUpdate, emergency = false) {
  return db.$transaction(async (tx) => {
    const ctx = await memberContext(tx, u.memberId);
    const next = { ip: ctx.member.ip, port: ctx.member.port, weight: u.weight ?? ctx.member.weight, state: u.state ?? ctx.member.state };
    await checkMember(tx, ctx, next, ctx.member.id);
    const row = await tx.lbMember.update({ where: { id: ctx.member.id }, data: { weight: next.weight, state: next.state } });
    const how = emergency ? " at once (emergency)" : "";
    await recordChange(
      tx,
      actor,
      ctx.app.poolId,
      {
        action: emergency ? "libra.member.emergency" : "libra.member.update",
        entityType: "LbMember",
        entityId: row.id,
        summary: `application ${ctx.app.name}: member ${row.ip}:${row.port} weight ${row.weight}, ${row.state.toLowerCase()}${how}`,
        before: ctx.member,
        after: row,
      },
      { emergency },
    );
    return { member: row, pool: ctx.app.pool, app: ctx.app, plugin: ctx.plugin };
  });
}

export async function removeMember(db: Db, actor: Actor, memberId: number) {
  return db.$transaction(async (tx) => {
    const ctx = await memberContext(tx, memberId);
    await tx.lbMember.delete({ where: { id: memberId } });
    await recordChange(tx, actor, ctx.app.poolId, {
      action: "libra.member.remove",
      entityType: "LbMember",
      entityId: memberId,
      summary: `application ${ctx.app.name}: member ${ctx.member.ip}:${ctx.member.port} removed`,
      before: ctx.member,
    });
  });
}

export async function removeApplication(db: Db, actor: Actor, appId: number) {
  return db.$transaction(async (tx) => {
    const { app } = await appContext(tx, appId);
    await tx.lbApplication.delete({ where: { id: appId } });
    await recordChange(tx, actor, app.poolId, {
      action: "libra.app.remove",
      entityType: "LbApplication",
      entityId: appId,
      summary: `application ${app.name} removed`,
      before: { name: app.name, vip: app.vip, members: app.members },
    });
  });
}
