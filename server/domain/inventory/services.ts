import { text } from "../../../lib/text";
import type { Prisma } from "../../../generated/prisma/client";
import type { InstanceRole, InstanceState, ServiceKind, ServiceStatus, Software } from "../../../generated/prisma/enums";
import type { DbTx } from "../../db/client";
import { assertProductLineVisible, visibleProductLines, type Actor } from "../access/actor";
import { recordAudit } from "../audit/record";
import { badInput, conflict, notFound, precondition } from "../errors";
import { assertPortsFree, claimPorts } from "./ports";
import { observedInclude, sentinelViews } from "../healing/observed";
import { transactional } from "../../db/transaction";
import { matchesLabels, parseLabelSelector, type Labels } from "./label-selector";

/** Services (clusters) and their instances, scoped to the actor's product lines. */

export type ServiceListInput = {
  search?: string;
  productLineId?: number;
  productLine?: string;
  kind?: ServiceKind;
  status?: ServiceStatus;
  page: number;
  pageSize: number;
  sort: "name" | "productLine" | "instances" | "createdAt";
  dir: "asc" | "desc";
};

function scope(actor: Actor): Prisma.ServiceWhereInput {
  const visible = visibleProductLines(actor);
  return visible ? { productLineId: { in: visible } } : {};
}

export async function listServices(db: DbTx, actor: Actor, f: ServiceListInput) {
  const where: Prisma.ServiceWhereInput = {
    AND: [
      scope(actor),
      f.productLineId ? { productLineId: f.productLineId } : {},
      f.productLine ? { productLine: { code: f.productLine } } : {},
      f.kind ? { kind: f.kind } : {},
      f.status ? { status: f.status } : {},
      f.search ? { name: { contains: f.search, mode: "insensitive" } } : {},
    ],
  };
  const orderBy: Prisma.ServiceOrderByWithRelationInput =
    f.sort === "productLine" ? { productLine: { code: f.dir } } : f.sort === "instances" ? { instances: { _count: f.dir } } : { [f.sort]: f.dir };
  const [total, rows] = await Promise.all([
    db.service.count({ where }),
    db.service.findMany({
      where,
      orderBy: [orderBy, { id: "asc" }],
      skip: (f.page - 1) * f.pageSize,
      take: f.pageSize,
      include: { productLine: { select: { id: true, code: true, name: true, importance: true } }, _count: { select: { instances: true } } },
    }),
  ]);
  return {
    total,
    rows: rows.map((s) => ({
      id: s.id,
      name: s.name,
      kind: s.kind,
      status: s.status,
      productLine: s.productLine,
      instances: s._count.instances,
      entry: s.entryHost ? `${s.entryHost}:${s.entryPort}` : null,
      adopted: s.adopted,
      isDemo: s.isDemo,
      createdAt: s.createdAt,
    })),
  };
}

export async function getService(db: DbTx, actor: Actor, id: number) {
  const s = await db.service.findUnique({
    where: { id },
    include: {
      productLine: { include: { department: true } },
      instances: {
        orderBy: [{ shardIndex: "asc" }, { role: "asc" }, { port: "asc" }],
        include: {
          host: { select: { id: true, ip: true, hostname: true, rack: { select: { code: true, idc: { select: { code: true } } } } } },
          ...observedInclude,
        },
      },
    },
  });
  if (!s) throw notFound(text("errors.domain.notFound.service", { id }));
  assertProductLineVisible(actor, s.productLineId);
  const views = await sentinelViews(
    db,
    s.instances.filter((i) => i.role === "SENTINEL").map((i) => i.id),
  );
  return { ...s, instances: s.instances.map((i) => ({ ...i, sentinelView: views.get(i.id) ?? null })) };
}

export type ServiceInput = {
  name: string;
  productLineId: number;
  kind: ServiceKind;
  description?: string;
  entryHost?: string | null;
  entryPort?: number | null;
};

export const createService = transactional(async function createService(db: DbTx, actor: Actor, input: ServiceInput & { adopted?: boolean }) {
  if (await db.service.findUnique({ where: { name: input.name } })) throw conflict(text("errors.domain.inventory.serviceExists", { name: input.name }));
  if (!(await db.productLine.findUnique({ where: { id: input.productLineId } })))
    throw badInput(text("errors.domain.notFound.productLine", { id: input.productLineId }));
  const s = await db.service.create({ data: { ...input, adopted: input.adopted ?? true } });
  await recordAudit(db, actor, {
    action: "service.create",
    entityType: "Service",
    entityId: s.id,
    text: text("auditLog.services.create", { service: s.name }),
    after: s,
  });
  return s;
});

export const updateService = transactional(async function updateService(
  db: DbTx,
  actor: Actor,
  input: Partial<ServiceInput> & { id: number; status?: ServiceStatus },
) {
  const before = await db.service.findUnique({ where: { id: input.id } });
  if (!before) throw notFound(text("errors.domain.notFound.service", { id: input.id }));
  if (input.name && input.name !== before.name && (await db.service.findUnique({ where: { name: input.name } }))) {
    throw conflict(text("errors.domain.inventory.serviceExistsShort", { name: input.name }));
  }
  const { id, ...data } = input;
  const after = await db.service.update({ where: { id }, data });
  await recordAudit(db, actor, {
    action: "service.update",
    entityType: "Service",
    entityId: id,
    text: text("auditLog.services.update", { service: after.name }),
    before,
    after,
  });
  return after;
});

export type InstanceListInput = {
  search?: string;
  serviceId?: number;
  hostId?: number;
  software?: Software;
  state?: InstanceState;
  role?: InstanceRole;
  selector?: string;
  page: number;
  pageSize: number;
  sort: "host" | "port" | "service" | "maxmemoryMb" | "state";
  dir: "asc" | "desc";
};

/**
 * Ids of the instances a label selector picks (`region=cn-sh,role=master`): the host's labels, with
 * the instance's own role, software, state, service and productLine beside them. Matched here, not in
 * SQL, because the instance's fields are not labels; the scope is at most the fleet's instances.
 */
async function instancesMatching(db: DbTx, visible: number[] | null, serviceId: number | undefined, selector: string): Promise<number[]> {
  const reqs = parseLabelSelector(selector);
  const rows = await db.instance.findMany({
    where: { ...(serviceId ? { serviceId } : {}), ...(visible ? { service: { productLineId: { in: visible } } } : {}) },
    select: {
      id: true,
      role: true,
      software: true,
      state: true,
      host: { select: { labels: true } },
      service: { select: { name: true, productLine: { select: { code: true } } } },
    },
  });
  return rows
    .filter((r) =>
      matchesLabels(reqs, {
        ...(r.host.labels as Labels),
        role: r.role.toLowerCase(),
        software: r.software.toLowerCase(),
        state: r.state.toLowerCase(),
        service: r.service.name,
        productLine: r.service.productLine.code,
      }),
    )
    .map((r) => r.id);
}

export async function listInstances(db: DbTx, actor: Actor, f: InstanceListInput) {
  const visible = visibleProductLines(actor);
  const where: Prisma.InstanceWhereInput = {
    AND: [
      visible ? { service: { productLineId: { in: visible } } } : {},
      f.serviceId ? { serviceId: f.serviceId } : {},
      f.hostId ? { hostId: f.hostId } : {},
      f.software ? { software: f.software } : {},
      f.state ? { state: f.state } : {},
      f.role ? { role: f.role } : {},
      f.search ? { OR: [{ host: { ip: { startsWith: f.search } } }, { service: { name: { contains: f.search, mode: "insensitive" } } }] } : {},
      f.selector ? { id: { in: await instancesMatching(db, visible, f.serviceId, f.selector) } } : {},
    ],
  };
  const orderBy: Prisma.InstanceOrderByWithRelationInput =
    f.sort === "host" ? { host: { ip: f.dir } } : f.sort === "service" ? { service: { name: f.dir } } : { [f.sort]: f.dir };
  const [total, rows] = await Promise.all([
    db.instance.count({ where }),
    db.instance.findMany({
      where,
      orderBy: [orderBy, { id: "asc" }],
      skip: (f.page - 1) * f.pageSize,
      take: f.pageSize,
      include: {
        host: { select: { id: true, ip: true } },
        service: { select: { id: true, name: true, productLine: { select: { code: true } } } },
        ...observedInclude,
      },
    }),
  ]);
  return { total, rows };
}

export type InstanceInput = {
  serviceId: number;
  hostId: number;
  port: number;
  software: Software;
  role: InstanceRole;
  shardIndex?: number | null;
  version: string;
  maxmemoryMb?: number | null;
  state?: InstanceState;
  masterId?: number | null;
  cpuCores?: number;
  memoryMb?: number;
  diskGb?: number;
  bandwidthMbps?: number;
};

/**
 * Catalogues an instance (adoption of one Hedwig did not deploy, or a DBA's correction).
 * The port must be in the software's range and free on the host; the claim is what makes it taken.
 */
export const createInstance = transactional(async function createInstance(db: DbTx, actor: Actor, input: InstanceInput) {
  const [service, host, range] = await Promise.all([
    db.service.findUnique({ where: { id: input.serviceId } }),
    db.host.findUnique({ where: { id: input.hostId } }),
    db.portRange.findUnique({ where: { software: input.software } }),
  ]);
  if (!service) throw badInput(text("errors.domain.notFound.service", { id: input.serviceId }));
  if (!host) throw badInput(text("errors.domain.notFound.host", { id: input.hostId }));
  if (range && (input.port < range.startPort || input.port > range.endPort)) {
    throw badInput(text("errors.domain.inventory.portOutside", { port: input.port, software: input.software, start: range.startPort, end: range.endPort }));
  }
  if (input.masterId) {
    const master = await db.instance.findUnique({ where: { id: input.masterId } });
    if (!master || master.serviceId !== input.serviceId)
      throw badInput(text("errors.domain.inventory.masterElsewhere", { id: input.masterId, service: service.name }));
    if (master.hostId === input.hostId) throw badInput(text("errors.domain.inventory.replicaSameHost"));
  }
  await assertPortsFree(db, [input]);
  const instance = await db.instance.create({ data: { ...input, state: input.state ?? "RUNNING" } });
  await claimPorts(db, [{ hostId: input.hostId, port: input.port, software: input.software, instanceId: instance.id }]);
  await recordAudit(db, actor, {
    action: "instance.create",
    entityType: "Instance",
    entityId: instance.id,
    text: text("auditLog.services.instanceCatalogue", { software: input.software, address: `${host.ip}:${input.port}`, service: service.name }),
    after: instance,
  });
  return instance;
});

export const updateInstance = transactional(async function updateInstance(
  db: DbTx,
  actor: Actor,
  input: { id: number; maxmemoryMb?: number | null; state?: InstanceState; version?: string },
) {
  const before = await db.instance.findUnique({ where: { id: input.id } });
  if (!before) throw notFound(text("errors.domain.notFound.instance", { id: input.id }));
  const { id, ...data } = input;
  const after = await db.instance.update({ where: { id }, data });
  await recordAudit(db, actor, {
    action: "instance.update",
    entityType: "Instance",
    entityId: id,
    text: text("auditLog.services.instanceUpdate", { id }),
    before,
    after,
  });
  return after;
});

export const deleteInstance = transactional(async function deleteInstance(db: DbTx, actor: Actor, id: number) {
  const inst = await db.instance.findUnique({ where: { id }, include: { _count: { select: { replicas: true } }, host: { select: { ip: true } } } });
  if (!inst) throw notFound(text("errors.domain.notFound.instance", { id }));
  if (inst._count.replicas > 0) throw precondition(text("errors.domain.inventory.masterOfReplicas", { id, n: inst._count.replicas }));
  await db.instance.delete({ where: { id } });
  await recordAudit(db, actor, {
    action: "instance.delete",
    entityType: "Instance",
    entityId: id,
    text: text("auditLog.services.instanceRemove", { address: `${inst.host.ip}:${inst.port}` }),
    before: inst,
  });
});
