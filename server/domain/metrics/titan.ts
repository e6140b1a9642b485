import { Prisma } from "../../../generated/prisma/client";
import type { DbTx } from "../../db/client";
import type { Actor } from "../access/actor";
import { pickResolution, type Plan } from "./resolution";
import { checkRange } from "./series";
import { visibleService } from "./service-scope";
import { buildTopology } from "./topology";

/**
 * Titan, the full-link view of one service: where its response time lies over time (a heatmap of
 * the latency histograms), which commands are hot (calls) and slow (µs per call), the slowlog, who
 * connects (client addresses mapped to inventory hosts and the product lines running there), and
 * the topology product line → proxy tier → shards.
 */

const TABLE = { raw: Prisma.raw(`"MetricSample"`), minute: Prisma.raw(`"ServiceMinute"`), hour: Prisma.raw(`"ServiceHour"`) } as const;
const TIME = { raw: Prisma.raw(`"at"`), minute: Prisma.raw(`"bucket"`), hour: Prisma.raw(`"bucket"`) } as const;

export type Heatmap = Plan & { times: number[]; bounds: number[]; cells: [number, number, number][] };

export async function latencyHeatmap(db: DbTx, serviceId: number, from: Date, to: Date, now: Date): Promise<Heatmap> {
  const plan = pickResolution(from, to, now);
  const step = plan.stepSeconds;
  const rows = await db.$queryRaw<{ t: Date; bound: number; n: number }[]>`
    SELECT to_timestamp(floor(extract(epoch FROM x.${TIME[plan.resolution]}) / ${step}) * ${step}) AS t, h.key::float AS bound, sum(h.value::float) AS n
    FROM ${TABLE[plan.resolution]} x, jsonb_each_text(x."latencyHistogram") h
    WHERE x."serviceId" = ${serviceId} AND x.${TIME[plan.resolution]} >= ${from} AND x.${TIME[plan.resolution]} < ${to} AND x."latencyHistogram" IS NOT NULL
    GROUP BY 1, 2`;
  const times = [...new Set(rows.map((r) => r.t.getTime()))].sort((a, b) => a - b);
  const bounds = [...new Set(rows.map((r) => r.bound))].sort((a, b) => a - b);
  const ti = new Map(times.map((t, i) => [t, i]));
  const bi = new Map(bounds.map((b, i) => [b, i]));
  return { ...plan, times, bounds, cells: rows.map((r) => [ti.get(r.t.getTime())!, bi.get(r.bound)!, r.n]) };
}

export type CommandFigure = { command: string; calls: number; usec: number; usecPerCall: number };

export async function commandFigures(db: DbTx, serviceId: number, from: Date, to: Date, now: Date): Promise<CommandFigure[]> {
  const { resolution } = pickResolution(from, to, now);
  const rows = await db.$queryRaw<{ command: string; calls: number; usec: number }[]>`
    SELECT c.key AS command, sum((c.value->>'calls')::float) AS calls, sum(coalesce((c.value->>'usec')::float, 0)) AS usec
    FROM ${TABLE[resolution]} x, jsonb_each(x."commands") c
    WHERE x."serviceId" = ${serviceId} AND x.${TIME[resolution]} >= ${from} AND x.${TIME[resolution]} < ${to} AND x."commands" IS NOT NULL
    GROUP BY c.key`;
  return rows.filter((r) => r.calls > 0).map((r) => ({ ...r, usecPerCall: r.usec / r.calls }));
}

export async function slowlog(db: DbTx, serviceId: number, from: Date, to: Date, limit = 50) {
  const rows = await db.slowlogEntry.findMany({
    where: { serviceId, at: { gte: from, lt: to } },
    orderBy: [{ durationUs: "desc" }, { at: "desc" }],
    take: limit,
  });
  const instances = await db.instance.findMany({
    where: { id: { in: [...new Set(rows.map((r) => r.instanceId))] } },
    select: { id: true, port: true, host: { select: { ip: true } } },
  });
  const address = new Map(instances.map((i) => [i.id, `${i.host.ip}:${i.port}`]));
  return rows.map((r) => ({
    id: r.id.toString(),
    at: r.at,
    instance: address.get(r.instanceId) ?? `instance ${r.instanceId}`,
    durationUs: r.durationUs,
    command: r.command,
    args: r.args,
    clientAddr: r.clientAddr,
    clientName: r.clientName,
  }));
}

export type RequestSource = {
  clientIp: string;
  connections: number;
  instances: number;
  host: { id: number; hostname: string; idc: string } | null;
  /** product lines whose instances run on that host (what the address most likely is) */
  productLines: { id: number; code: string }[];
  /** the address is one of this service's own proxies: behind Twemproxy, Redis sees only them */
  ownProxy: boolean;
};

export async function requestSources(db: DbTx, serviceId: number): Promise<RequestSource[]> {
  const sources = await db.clientSource.groupBy({ by: ["clientIp"], where: { serviceId }, _sum: { connections: true }, _count: { _all: true } });
  const ips = sources.map((s) => s.clientIp);
  const [hosts, proxies] = await Promise.all([
    db.host.findMany({
      where: { ip: { in: ips } },
      select: {
        id: true,
        ip: true,
        hostname: true,
        rack: { select: { idc: { select: { code: true } } } },
        instances: { select: { service: { select: { productLine: { select: { id: true, code: true } } } } } },
      },
    }),
    db.instance.findMany({ where: { serviceId, role: "PROXY" }, select: { host: { select: { ip: true } } } }),
  ]);
  const byIp = new Map(hosts.map((h) => [h.ip, h]));
  const proxyIps = new Set(proxies.map((p) => p.host.ip));
  return sources
    .map((s) => {
      const h = byIp.get(s.clientIp);
      const lines = new Map((h?.instances ?? []).map((i) => [i.service.productLine.id, i.service.productLine]));
      return {
        clientIp: s.clientIp,
        connections: s._sum.connections ?? 0,
        instances: s._count._all,
        host: h ? { id: h.id, hostname: h.hostname, idc: h.rack.idc.code } : null,
        productLines: [...lines.values()].sort((a, b) => a.code.localeCompare(b.code)),
        ownProxy: proxyIps.has(s.clientIp),
      };
    })
    .sort((a, b) => b.connections - a.connections || a.clientIp.localeCompare(b.clientIp));
}

export async function titanView(db: DbTx, actor: Actor, input: { serviceId: number; from: Date; to: Date }, now = new Date()) {
  const { serviceId, from, to } = input;
  checkRange(from, to, "titan");
  const service = await visibleService(db, actor, serviceId);
  const [heatmap, commands, slow, sources, instances] = await Promise.all([
    latencyHeatmap(db, serviceId, from, to, now),
    commandFigures(db, serviceId, from, to, now),
    slowlog(db, serviceId, from, to),
    requestSources(db, serviceId),
    db.instance.findMany({
      where: { serviceId },
      select: { id: true, role: true, shardIndex: true, port: true, masterId: true, state: true, host: { select: { ip: true } } },
    }),
  ]);
  const proxied = service.kind === "REDIS_TWEMPROXY" || service.kind === "MEMCACHED_TWEMPROXY";
  const owner = await db.productLine.findUniqueOrThrow({ where: { id: service.productLineId }, select: { id: true, code: true } });
  const clientLines = new Map(sources.filter((s) => !s.ownProxy).flatMap((s) => s.productLines.map((l) => [l.id, l] as const)));
  clientLines.set(owner.id, owner);
  return {
    service: { id: service.id, name: service.name, kind: service.kind, proxied },
    heatmap,
    hotCommands: [...commands].sort((a, b) => b.calls - a.calls).slice(0, 15),
    slowCommands: [...commands].sort((a, b) => b.usecPerCall - a.usecPerCall).slice(0, 15),
    slowlog: slow,
    sources,
    topology: buildTopology(
      [...clientLines.values()],
      instances.map((i) => ({
        id: i.id,
        role: i.role,
        shardIndex: i.shardIndex,
        masterId: i.masterId,
        address: `${i.host.ip}:${i.port}`,
        up: i.state === "RUNNING",
      })),
    ),
  };
}
