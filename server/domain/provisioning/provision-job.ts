import path from "node:path";
import { precondition } from "../errors";
import { text } from "../../../lib/text";
import type { InstanceRole, Software } from "../../../generated/prisma/enums";
import type { Db } from "../../db/client";
import type { JobDefinition, StepContext } from "../../jobs/steps";
import { loadActor, type Actor } from "../access/actor";
import { makeDeliveryVipLive, registerDeliveredService, unregisterDeliveredService } from "../lb/delivery";
import type { Executor } from "../executors/executor";
import { commitAllocation, place, releaseAllocation } from "../scheduler/store/allocations";
import { moveRequest, notify } from "../requests/requests";
import { linkDemoBinary } from "./deploy/commands";
import { dataDir, executorFor } from "./deploy/executors";
import { sentinelMaster, verifyMemcached, verifyRedis, waitReplicaLinked, waitSentinelQuorum } from "./deploy/probes";
import { buildTopology, entryOf, type Deployable, type Placed } from "./deploy/topology";
import { hostsBeside, placeInputFor, placementGroups } from "./placement";
import type { RequestForm } from "./request-schema";
import type { Plan } from "./sizing";
import { localRuntimeSocketsGlob } from "../lb/deploy";
import { authOf, generateServiceSecrets, memcachedHasNoAuth, type ServiceSecrets } from "../credentials/model";
import { openSecrets, saveServiceCredentials, sealSecrets, type SealedSecrets } from "../credentials/store";

export type ProvisionInput = { requestId: number };
export type ProvisionState = {
  serviceName?: string;
  allocations?: string[];
  placed?: Placed[];
  /** `ip:port` of every daemon started, in start order */
  started?: string[];
  serviceId?: number;
  /** the VIP Libra put live in front of the proxies, when there is a delivery pool */
  vip?: { host: string; port: number };
  /** the service's users, generated at the start and sealed (a job's state is no place for a password in clear) */
  credentials?: SealedSecrets;
};

type Ctx = StepContext<ProvisionInput, ProvisionState>;

const key = (d: { ip: string; port: number }) => `${d.ip}:${d.port}`;

async function load(ctx: Ctx) {
  const request = await ctx.db.resourceRequest.findUniqueOrThrow({ where: { id: ctx.input.requestId }, include: { productLine: true } });
  const job = await ctx.db.job.findUniqueOrThrow({ where: { id: ctx.jobId } });
  const actor = job.createdById ? await loadActor(ctx.db, job.createdById) : null;
  if (!actor) throw precondition(text("refusals.jobs.approverGone"));
  return { request, form: request.form as RequestForm, plan: request.plan as unknown as Plan, actor };
}

async function versions(db: Db): Promise<Record<Software, string>> {
  const rows = await db.softwareVersion.findMany({ where: { isDefault: true } });
  const of = (s: Software) => {
    const v = rows.find((r) => r.software === s)?.version;
    if (!v) throw precondition(text("refusals.jobs.noDefaultVersion", { software: s }));
    return v;
  };
  return { REDIS: of("REDIS"), REDIS_SENTINEL: of("REDIS_SENTINEL"), MEMCACHED: of("MEMCACHED"), TWEMPROXY: of("TWEMPROXY") };
}

/** The instances with their files and command lines, rebuilt from the saved placement on every step (and after a resume). */
async function topology(ctx: Ctx) {
  const { request, form, plan } = await load(ctx);
  const hosts = await ctx.db.host.findMany({
    where: { id: { in: (ctx.state.placed ?? []).map((p) => p.hostId) } },
    select: { id: true, ip: true, executor: true },
  });
  const executors = new Map<string, Executor>(await Promise.all(hosts.map(async (h) => [h.ip, await executorFor(ctx.db, h, dataDir())] as const)));
  const secrets: ServiceSecrets | null = ctx.state.credentials ? openSecrets(ctx.state.credentials) : null;
  const all = buildTopology({
    service: ctx.state.serviceName!,
    kind: request.kind,
    persistence: form.persistence,
    perShardMemoryMb: plan.perShardMemoryMb,
    sentinelQuorum: plan.sentinelQuorum,
    versions: await versions(ctx.db),
    placed: ctx.state.placed ?? [],
    resolve: (ip, hostPath) => executors.get(ip)!.resolve(hostPath),
    lbSocketsGlob: localRuntimeSocketsGlob(),
    runAsUser: process.getuid?.() === 0 ? "root" : null,
    credentials: secrets,
  });
  // Hedwig's own login on every Redis and Sentinel it deployed; clients' at the entry point.
  const ops = (d: { ip: string; port: number }) => ({ ip: d.ip, port: d.port, auth: secrets ? authOf(secrets.OPS) : null });
  const app = (host: string, port: number) => ({ ip: host, port, auth: secrets ? authOf(secrets.APP) : null });
  return { all, exec: (d: Deployable) => executors.get(d.ip)!, request, form, plan, ops, app };
}

/** A free service name for the line: trade-cart-redis-03. */
/**
 * The next free name of the line, reserved for this job: under a lock per name prefix, no existing
 * service and no other unfinished delivery (whose name is in its job state) has it, and the name is
 * written into this job's state before the lock goes. Parallel deliveries for one line differ.
 */
async function reserveServiceName(db: Db, jobId: string, lineCode: string, memcached: boolean): Promise<string> {
  const base = `${lineCode}-${memcached ? "mc" : "redis"}-`;
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${base}, 7))`;
    const [services, jobs, self] = await Promise.all([
      tx.service.findMany({ where: { name: { startsWith: base } }, select: { name: true } }),
      tx.job.findMany({ where: { kind: "provision", status: { in: ["QUEUED", "RUNNING", "FAILED"] }, id: { not: jobId } }, select: { state: true } }),
      tx.job.findUniqueOrThrow({ where: { id: jobId }, select: { state: true } }),
    ]);
    const taken = new Set([...services.map((x) => x.name), ...jobs.map((j) => (j.state as ProvisionState | null)?.serviceName)]);
    let n = 1;
    while (taken.has(`${base}${String(n).padStart(2, "0")}`)) n++;
    const name = `${base}${String(n).padStart(2, "0")}`;
    await tx.job.update({ where: { id: jobId }, data: { state: { ...(self.state as object), serviceName: name } } });
    return name;
  });
}

async function startDaemon(ctx: Ctx, d: Deployable, exec: Executor) {
  if (ctx.state.started?.includes(key(d)) && (await exec.isListening(d.ip, d.port, 500))) return;
  const argv = [exec.resolve(d.layout.binary), ...d.args];
  const pid = await exec.startDaemon(`${d.software.toLowerCase()} ${key(d)}`, argv, { pidFile: d.layout.pidFile, logFile: d.layout.logFile });
  await ctx.save({ started: [...new Set([...(ctx.state.started ?? []), key(d)])] });
  if (!(await exec.isListening(d.ip, d.port, 10_000))) {
    const log = await exec.readFile(d.layout.logFile).catch(() => "");
    throw new Error(`${d.software} on ${key(d)} (pid ${pid}) is not listening after 10 s: ${log.trim().split("\n").slice(-3).join(" | ")}`);
  }
  await ctx.log.info(text("jobs.log.provision.daemonStarted", { software: d.software.toLowerCase(), role: d.role.toLowerCase(), address: key(d), pid }));
}

async function stopAll(ctx: Ctx, roles: InstanceRole[]) {
  const { all, exec } = await topology(ctx);
  const started = new Set(ctx.state.started ?? []);
  for (const d of [...all].reverse().filter((x) => roles.includes(x.role) && started.has(key(x)))) {
    if (await exec(d).stopDaemon(d.layout.pidFile))
      await ctx.log.info(text("jobs.log.provision.daemonStopped", { software: d.software.toLowerCase(), address: key(d) }));
  }
  await ctx.save({ started: (ctx.state.started ?? []).filter((k) => !all.some((d) => roles.includes(d.role) && key(d) === k)) });
}

/** Where clients connect: the VIP when Libra made one live, else the topology's own entry. */
const entryFor = (ctx: Ctx, kind: Parameters<typeof entryOf>[0], all: Deployable[]) =>
  ctx.state.vip ? { ...ctx.state.vip, via: `VIP (HAProxy) → ${entryOf(kind, all).via}` } : entryOf(kind, all);

export const provisionJob: JobDefinition<ProvisionInput, ProvisionState> = {
  kind: "provision",
  steps: [
    {
      name: text("jobs.steps.provision.start"),
      run: async (ctx) => {
        const { request } = await load(ctx);
        if (request.status === "APPROVED") await ctx.db.$transaction((tx) => moveRequest(tx, null, request.id, "start"));
        if (!ctx.state.serviceName)
          await ctx.save({ serviceName: await reserveServiceName(ctx.db, ctx.jobId, request.productLine.code, request.kind.startsWith("MEMCACHED")) });
        if (!ctx.state.credentials && !memcachedHasNoAuth(request.kind)) {
          await ctx.save({ credentials: sealSecrets(generateServiceSecrets(request.kind)) });
          await ctx.log.info(text("jobs.log.provision.generatedSecrets"));
        }
        await ctx.log.info(text("jobs.log.provision.serviceFor", { service: ctx.state.serviceName!, request: request.id }));
      },
    },
    {
      name: text("jobs.steps.provision.lock"),
      run: async (ctx) => {
        if (ctx.state.allocations?.length) return;
        const { request, form, plan, actor } = await load(ctx);
        const allocations: string[] = [];
        const placed: Placed[] = [];
        try {
          for (const g of placementGroups(plan)) {
            const r = await place(
              ctx.db,
              actor as Actor,
              placeInputFor(request, form, g, { ownerRef: `job:${ctx.jobId}`, dryRun: false }, hostsBeside(g, placed)),
            );
            allocations.push(r.allocationId!);
            for (const it of r.items)
              placed.push({
                role: it.role,
                software: g.software,
                shardIndex: it.shardIndex,
                replicaIndex: it.replicaIndex,
                hostId: it.hostId,
                ip: it.ip,
                port: it.port,
              });
            await ctx.log.info(
              text("jobs.log.provision.placed", {
                role: (g.role ?? "redis").toLowerCase(),
                summary: r.summary,
                ports: [...new Set(r.items.map((i) => i.port))].join(", "),
              }),
            );
            if (r.skippedPorts.length) await ctx.log.warn(text("jobs.log.provision.skippedPorts", { addresses: r.skippedPorts.map(key).join(", ") }));
          }
        } catch (e) {
          for (const id of allocations) await releaseAllocation(ctx.db, actor, id);
          throw e;
        }
        await ctx.save({ allocations, placed });
      },
      undo: async (ctx) => {
        const { actor } = await load(ctx);
        for (const id of ctx.state.allocations ?? []) await releaseAllocation(ctx.db, actor, id);
        await ctx.log.info(text("jobs.log.provision.released", { n: ctx.state.allocations?.length ?? 0 }));
        await ctx.save({ allocations: [], placed: [] });
      },
    },
    {
      name: text("jobs.steps.provision.layout"),
      run: async (ctx) => {
        const { all, exec } = await topology(ctx);
        for (const d of all) {
          const e = exec(d);
          for (const dir of d.layout.dirs) await e.mkdirp(dir);
          await linkDemoBinary(e, d.software, d.layout);
          await e.writeFile(d.layout.confFile, d.conf);
          // Sentinel refuses to start when its client-reconfig-script is not executable.
          if (d.script) await e.writeFile(d.script.path, d.script.text, 0o755);
        }
        await ctx.log.info(
          text("jobs.log.provision.wroteConfig", { n: all.length, dir: all[0] ? path.posix.dirname(path.posix.dirname(all[0].layout.confFile)) : "-" }),
        );
      },
      undo: async (ctx) => {
        const { all, exec } = await topology(ctx);
        for (const d of all)
          for (const p of [d.layout.confFile, d.layout.dataDir, d.layout.logFile, d.layout.pidFile, ...(d.script ? [d.script.path] : [])])
            await exec(d).remove(p);
      },
    },
    {
      name: text("jobs.steps.provision.startProcesses"),
      run: async (ctx) => {
        const { all, exec } = await topology(ctx);
        for (const role of ["MASTER", "CACHE", "REPLICA"] as InstanceRole[])
          for (const d of all.filter((x) => x.role === role)) await startDaemon(ctx, d, exec(d));
      },
      undo: (ctx) => stopAll(ctx, ["MASTER", "REPLICA", "CACHE"]),
    },
    {
      name: text("jobs.steps.provision.replication"),
      run: async (ctx) => {
        const { all, exec, ops } = await topology(ctx);
        for (const r of all.filter((d) => d.role === "REPLICA")) {
          await waitReplicaLinked(ops(r), 20_000);
          await ctx.log.info(text("jobs.log.provision.replicaInSync", { address: key(r) }));
        }
        for (const d of all.filter((x) => x.role === "SENTINEL" || x.role === "PROXY")) await startDaemon(ctx, d, exec(d));
        const masters = all.filter((d) => d.role === "MASTER");
        const names = masters.map((m) => (masters.length === 1 ? ctx.state.serviceName! : `${ctx.state.serviceName}-${m.shardIndex}`));
        for (const s of all.filter((d) => d.role === "SENTINEL")) {
          const watched = await Promise.all(names.map(async (name) => `${name} (${await sentinelMaster(ops(s), name)})`));
          await ctx.log.info(
            s.script
              ? text("jobs.log.provision.sentinelWatchesRepoints", { address: key(s), watched: watched.join(", "), ip: s.ip })
              : text("jobs.log.provision.sentinelWatches", { address: key(s), watched: watched.join(", ") }),
          );
        }
        const first = all.find((d) => d.role === "SENTINEL");
        if (first)
          for (const name of names)
            await ctx.log.info(
              text("jobs.log.provision.sentinelQuorum", { address: key(first), name, said: await waitSentinelQuorum(ops(first), name, 20_000) }),
            );
      },
      undo: (ctx) => stopAll(ctx, ["SENTINEL", "PROXY"]),
    },
    {
      name: text("jobs.steps.provision.register"),
      run: async (ctx) => {
        if (ctx.state.serviceId) return;
        const { all, request, plan } = await topology(ctx);
        const entry = entryOf(request.kind, all);
        const serviceId = await ctx.db.$transaction(async (tx) => {
          const service = await tx.service.create({
            data: {
              name: ctx.state.serviceName!,
              productLineId: request.productLineId,
              kind: request.kind,
              status: "ONLINE",
              description: request.purpose,
              entryHost: entry.host,
              entryPort: entry.port,
              adopted: false,
            },
          });
          const spec = (role: InstanceRole) => plan.roles.find((r) => r.role === role)?.spec ?? plan.roles[0]!.spec;
          const masters = new Map<number, number>();
          for (const role of ["MASTER", "CACHE", "REPLICA", "SENTINEL", "PROXY"] as InstanceRole[]) {
            for (const d of all.filter((x) => x.role === role)) {
              const inst = await tx.instance.create({
                data: {
                  serviceId: service.id,
                  hostId: d.hostId,
                  port: d.port,
                  software: d.software,
                  role: d.role,
                  shardIndex: d.role === "SENTINEL" || d.role === "PROXY" ? null : d.shardIndex,
                  version: d.version,
                  maxmemoryMb: d.maxmemoryMb,
                  state: "RUNNING",
                  masterId: d.role === "REPLICA" ? (masters.get(d.shardIndex) ?? null) : null,
                  ...spec(d.role),
                },
              });
              if (d.role === "MASTER") masters.set(d.shardIndex, inst.id);
              // The port the lock claimed now belongs to the instance.
              await tx.portClaim.update({ where: { hostId_port: { hostId: d.hostId, port: d.port } }, data: { instanceId: inst.id } });
            }
          }
          if (ctx.state.credentials) await saveServiceCredentials(tx, service.id, ctx.state.credentials);
          await tx.resourceRequest.update({ where: { id: request.id }, data: { serviceId: service.id } });
          await tx.job.update({ where: { id: ctx.jobId }, data: { serviceId: service.id } });
          return service.id;
        });
        await ctx.save({ serviceId });
        await ctx.log.info(text("jobs.log.provision.registered", { service: ctx.state.serviceName!, n: all.length, entry: `${entry.host}:${entry.port}` }));
      },
      undo: async (ctx) => {
        const id = ctx.state.serviceId;
        if (!id) return;
        await ctx.db.$transaction(async (tx) => {
          await tx.resourceRequest.update({ where: { id: ctx.input.requestId }, data: { serviceId: null } });
          await tx.job.updateMany({ where: { serviceId: id }, data: { serviceId: null } });
          await tx.portClaim.updateMany({ where: { instance: { serviceId: id } }, data: { instanceId: null } });
          await tx.instance.updateMany({ where: { serviceId: id }, data: { masterId: null } });
          await tx.instance.deleteMany({ where: { serviceId: id } });
          await tx.service.delete({ where: { id } });
        });
        await ctx.save({ serviceId: undefined });
      },
    },
    {
      name: text("jobs.steps.provision.libra"),
      run: async (ctx) => {
        const appId = await registerDeliveredService(ctx.db, ctx.state.serviceId!, ctx.log);
        const vip = appId && !ctx.state.vip ? await makeDeliveryVipLive(ctx.db, appId, ctx.log) : null;
        if (!vip) return;
        // Clients use the VIP from now on: the catalogue and the delivery say so, and the next step verifies through it.
        await ctx.db.service.update({ where: { id: ctx.state.serviceId! }, data: { entryHost: vip.host, entryPort: vip.port } });
        await ctx.save({ vip });
        await ctx.log.info(text("jobs.log.provision.vipLive", { vip: `${vip.host}:${vip.port}` }));
      },
      undo: async (ctx) => {
        if (ctx.state.serviceId) await unregisterDeliveredService(ctx.db, ctx.state.serviceId);
        await ctx.save({ vip: undefined });
      },
    },
    {
      name: text("jobs.steps.provision.verify"),
      run: async (ctx) => {
        const { all, request, app } = await topology(ctx);
        const entry = entryFor(ctx, request.kind, all);
        const memcached = request.kind.startsWith("MEMCACHED");
        // as the application connects: with its password (behind Twemproxy, the only one the proxy takes)
        const said = memcached ? await verifyMemcached(entry.host, entry.port) : await verifyRedis(app(entry.host, entry.port));
        await ctx.log.info(text("jobs.log.provision.verified", { entry: `${entry.host}:${entry.port}`, via: entry.via, said }));
      },
    },
    {
      name: text("jobs.steps.provision.commit"),
      run: async (ctx) => {
        const { actor } = await load(ctx);
        for (const id of ctx.state.allocations ?? []) await commitAllocation(ctx.db, actor, id);
      },
    },
  ],
  onSucceeded: async (ctx) => {
    const { all, request } = await topology(ctx);
    if (request.status === "DELIVERED") return; // a resumed run after the hook already delivered
    const entry = entryFor(ctx, request.kind, all);
    const delivery = {
      service: ctx.state.serviceName,
      serviceId: ctx.state.serviceId,
      entry: { host: entry.host, port: entry.port, via: entry.via },
      // who clients log in as; the password is revealed on request on the service page, never here
      appUser: ctx.state.credentials?.APP.username ?? null,
      topology: all.map((d) => ({ role: d.role, shard: d.role === "SENTINEL" || d.role === "PROXY" ? null : d.shardIndex, address: key(d) })),
    };
    await ctx.db.$transaction(async (tx) => {
      await moveRequest(tx, null, request.id, "deliver", { delivery });
      const notice = { request: request.id, service: ctx.state.serviceName!, entry: `${entry.host}:${entry.port}` };
      if (ctx.state.credentials)
        await notify(
          tx,
          request.requesterId,
          "jobs.notices.deliveredWithLogin",
          { ...notice, user: ctx.state.credentials.APP.username },
          `/requests/${request.id}`,
        );
      else await notify(tx, request.requesterId, "jobs.notices.delivered", notice, `/requests/${request.id}`);
    });
    await ctx.log.info(text("jobs.log.provision.delivered", { entry: `${entry.host}:${entry.port}` }));
  },
  onFailed: async (ctx, error) => {
    const request = await ctx.db.resourceRequest.findUniqueOrThrow({ where: { id: ctx.input.requestId } });
    if (request.status === "FAILED") return; // a resumed run after the hook already failed it
    await ctx.db.$transaction(async (tx) => {
      if (request.status === "PROVISIONING") await moveRequest(tx, null, request.id, "fail");
      await notify(tx, request.requesterId, "jobs.notices.failed", { request: request.id, why: error }, `/requests/${request.id}`);
    });
  },
};
