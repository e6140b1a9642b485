import { text } from "../../../../lib/text";
import { z } from "zod";
import type { InstanceRole, InstanceState, ServiceKind, Software } from "../../../../generated/prisma/enums";
import type { DbTx } from "../../../db/client";
import type { Actor } from "../../access/actor";
import type { AuditInput } from "../../audit/record";
import { instanceCreateSchema, ipv4Schema, productLineCreateSchema, serviceCreateSchema, serviceKindSchema } from "../schemas";
import { recordAuditManyChunked } from "./hosts";
import { issuesToMessages } from "./issues";
import { adoptedResources, ENTRY_ROLE, KIND_SOFTWARE, nextPortAfter, ROLE_ALIASES, ROLE_SOFTWARE, SOFTWARE_ALIASES, type Resources } from "./rules";
import type { RawRow, RowReport, RowText } from "./types";
import { chunks, duplicateLines, unique } from "./util";
import { parseAddress, toEnum, toNumber, toText } from "./values";

/** One instance row: the fields of `instanceCreateSchema`, with names and addresses in place of ids. */
export const instanceRowSchema = instanceCreateSchema
  .omit({ serviceId: true, hostId: true, masterId: true, cpuCores: true, memoryMb: true, diskGb: true, bandwidthMbps: true })
  .extend({
    service: serviceCreateSchema.shape.name,
    productLine: productLineCreateSchema.shape.code.optional(),
    kind: serviceKindSchema.optional(),
    host: ipv4Schema,
  });
export type InstanceRow = z.infer<typeof instanceRowSchema>;

export type NormalizedInstance = {
  input: Record<string, unknown>;
  master: { ip: string; port: number } | null;
  problems: RowText[];
  /** the software column was left empty and follows from the role */
  softwareInferred: boolean;
};

const lower = (v: unknown) => {
  const t = toText(v);
  return typeof t === "string" ? t.toLowerCase() : t;
};

/** Pure: cells → schema input. The software follows from the role when the column is empty. */
export function normalizeInstanceRow(values: Record<string, unknown>): NormalizedInstance {
  const problems: RowText[] = [];
  const role = toEnum(values.role, ROLE_ALIASES);
  let software = toEnum(values.software, SOFTWARE_ALIASES);
  const softwareInferred = software === undefined;
  if (softwareInferred && typeof role === "string" && role in ROLE_SOFTWARE) software = ROLE_SOFTWARE[role as InstanceRole];
  let master: NormalizedInstance["master"] = null;
  if (values.master !== undefined) {
    master = parseAddress(values.master);
    if (!master) problems.push(text(MASTER_ADDRESS, { got: JSON.stringify(values.master) }));
  }
  const input = {
    service: lower(values.service),
    productLine: lower(values.productLine),
    kind: toEnum(values.kind),
    host: toText(values.host),
    port: toNumber(values.port),
    software,
    role,
    shardIndex: toNumber(values.shard),
    version: toText(values.version),
    maxmemoryMb: toNumber(values.maxmemoryMb),
    state: toEnum(values.state),
  };
  return { input, master, problems, softwareInferred };
}

export type InstancePlan = {
  line: number;
  service: string;
  hostId: number;
  ip: string;
  port: number;
  software: Software;
  role: InstanceRole;
  shardIndex: number | null;
  version: string;
  maxmemoryMb: number | null;
  state: InstanceState;
  /** an instance already catalogued, or the key (hostId:port) of a row of this file */
  master: { id: number } | { key: string } | null;
  resources: Resources;
};

export type NewService = { name: string; productLineId: number; productLineCode: string; kind: ServiceKind; entry: { ip: string; port: number } | null };

const addr = (ip: string, port: number) => `${ip}:${port}`;
const MASTER_ADDRESS = "refusals.import.row.masterAddress";
const summaryOf = (v: Record<string, unknown>) =>
  `${String(v.role ?? "?").toUpperCase()} ${String(v.host ?? "?")}:${String(v.port ?? "?")} · ${String(v.service ?? "?")}`;

type Checked = { rows: readonly RawRow[]; normalized: NormalizedInstance[]; good: (i: number) => InstanceRow | null };
type References = Awaited<ReturnType<typeof loadReferences>>;
type Declared = Map<string, { productLine?: { code: string; line: number }; kind?: { kind: ServiceKind; line: number } }>;
/** What the checks of one row read: the file, the database, and where each address of the file is. */
type RowContext = Checked & References & { declared: Declared; dupAddr: Map<number, number[]>; rowAt: Map<string, number> };

/** Checks every row completely (schema, references, duplicates in the file, the database) without writing. */
export async function validateInstanceRows(
  db: DbTx,
  rows: readonly RawRow[],
): Promise<{ reports: RowReport[]; plans: (InstancePlan | null)[]; newServices: Map<string, NewService> }> {
  const normalized = rows.map((r) => normalizeInstanceRow(r.values));
  const parsed = normalized.map((n) => instanceRowSchema.safeParse(n.input));
  const good = (i: number): InstanceRow | null => (parsed[i]!.success ? parsed[i]!.data! : null);
  const checked: Checked = { rows, normalized, good };
  const refs = await loadReferences(db, checked);
  const ctx: RowContext = { ...checked, ...refs, declared: declaredServices(checked, refs), ...addressesOfFile(checked) };

  const messages: RowText[][] = [];
  const notes: RowText[][] = [];
  const plans: (InstancePlan | null)[] = [];
  const masterRow: (number | null)[] = [];
  const newServices = new Map<string, NewService>();

  rows.forEach((row, i) => {
    const n = normalized[i]!;
    const p = parsed[i]!;
    const m = [...row.problems, ...n.problems];
    const note: RowText[] = [];
    messages.push(m);
    notes.push(note);
    masterRow.push(null);
    plans.push(null);
    if (!p.success) {
      // an empty software column follows from the role; the role's own message says what is wrong
      const issues = n.softwareInferred ? p.error.issues.filter((is) => is.path[0] !== "software") : p.error.issues;
      m.push(...issuesToMessages(issues, row.values, { shardIndex: "shard" }));
      return;
    }
    const r = p.data;
    if (ROLE_SOFTWARE[r.role] !== r.software)
      m.push(text("refusals.import.row.roleSoftware", { role: r.role, runs: ROLE_SOFTWARE[r.role], software: r.software }));
    const service = checkService(ctx, i, r, m);
    const host = checkPlace(ctx, i, r, m);
    const master = checkMaster(ctx, i, r, service.existing, m, masterRow);

    if (m.length || !host) return;
    plans[i] = {
      line: row.line,
      service: r.service,
      hostId: host.id,
      ip: r.host,
      port: r.port,
      software: r.software,
      role: r.role,
      shardIndex: r.shardIndex,
      version: r.version,
      maxmemoryMb: r.maxmemoryMb,
      state: r.state,
      master,
      resources: adoptedResources(r.software, r.maxmemoryMb),
    };
    const { kind, productLineId } = service;
    if (!service.existing && productLineId !== undefined && kind && !newServices.has(r.service)) {
      const productLineCode = ctx.declared.get(r.service)!.productLine!.code;
      newServices.set(r.service, { name: r.service, productLineId, productLineCode, kind, entry: null });
      note.push(text("refusals.import.row.newService", { service: r.service, kind, line: productLineCode }));
    }
  });

  dropReplicasOfRefusedMasters(rows, plans, masterRow, messages);
  settleNewServices(newServices, plans);

  const reports: RowReport[] = rows.map((row, i) => ({
    line: row.line,
    status: plans[i] ? "ok" : "error",
    messages: plans[i] ? [] : messages[i]!,
    notes: plans[i] ? notes[i]! : [],
    summary: summaryOf(row.values),
  }));
  return { reports, plans, newServices };
}

/** The services, product lines, hosts, port ranges and port claims the rows name, each read once. */
async function loadReferences(db: DbTx, { rows, normalized, good }: Checked) {
  const serviceNames = unique(rows.flatMap((_, i) => (good(i) ? [good(i)!.service] : [])));
  const plCodes = unique(rows.flatMap((_, i) => (good(i)?.productLine ? [good(i)!.productLine!] : [])));
  const ips = unique([...rows.flatMap((_, i) => (good(i) ? [good(i)!.host] : [])), ...normalized.flatMap((n) => (n.master ? [n.master.ip] : []))]);
  const [services, productLines, hosts, ranges] = await Promise.all([
    serviceNames.length
      ? db.service.findMany({ where: { name: { in: serviceNames } }, select: { id: true, name: true, kind: true, productLine: { select: { code: true } } } })
      : [],
    plCodes.length ? db.productLine.findMany({ where: { code: { in: plCodes } }, select: { id: true, code: true } }) : [],
    ips.length ? db.host.findMany({ where: { ip: { in: ips } }, select: { id: true, ip: true } }) : [],
    db.portRange.findMany(),
  ]);
  const ports = unique([...rows.flatMap((_, i) => (good(i) ? [good(i)!.port] : [])), ...normalized.flatMap((n) => (n.master ? [n.master.port] : []))]);
  const claims =
    hosts.length && ports.length
      ? await db.portClaim.findMany({
          where: { hostId: { in: hosts.map((h) => h.id) }, port: { in: ports } },
          select: {
            hostId: true,
            port: true,
            instance: { select: { id: true, role: true, serviceId: true, service: { select: { name: true } } } },
            allocationItem: { select: { allocationId: true } },
          },
        })
      : [];
  return {
    serviceByName: new Map(services.map((s) => [s.name, s])),
    plByCode: new Map(productLines.map((p) => [p.code, p])),
    hostByIp: new Map(hosts.map((h) => [h.ip, h])),
    rangeOf: new Map(ranges.map((r) => [r.software, r])),
    claimAt: new Map(claims.map((c) => [`${c.hostId}:${c.port}`, c])),
  };
}

/** Services the file introduces: the first row that names a product line (a kind) declares it. */
function declaredServices({ rows, good }: Checked, { serviceByName }: References): Declared {
  const declared: Declared = new Map();
  rows.forEach((row, i) => {
    const r = good(i);
    if (!r || serviceByName.has(r.service)) return;
    const d = declared.get(r.service) ?? {};
    if (r.productLine && !d.productLine) d.productLine = { code: r.productLine, line: row.line };
    if (r.kind && !d.kind) d.kind = { kind: r.kind, line: row.line };
    declared.set(r.service, d);
  });
  return declared;
}

/** Addresses given twice in the file, and where each address is, even on a row the schema refused (a replica's master may be such a row). */
function addressesOfFile({ rows, normalized, good }: Checked) {
  const dupAddr = duplicateLines(rows, (_, i) => (good(i) ? addr(good(i)!.host, good(i)!.port) : undefined));
  const rowAt = new Map<string, number>();
  normalized.forEach((n, i) => {
    const { host, port } = n.input;
    if (typeof host === "string" && typeof port === "number" && !rowAt.has(addr(host, port))) rowAt.set(addr(host, port), i);
  });
  return { dupAddr, rowAt };
}

/** The service: catalogued already, or created by this import as adopted. */
function checkService(ctx: RowContext, i: number, r: InstanceRow, m: RowText[]) {
  const existing = ctx.serviceByName.get(r.service);
  let kind: ServiceKind | undefined;
  let productLineId: number | undefined;
  if (existing) {
    kind = existing.kind;
    if (r.productLine && r.productLine !== existing.productLine.code) {
      m.push(text("refusals.import.row.serviceLine", { service: r.service, line: existing.productLine.code, given: r.productLine }));
    }
    if (r.kind && r.kind !== existing.kind) m.push(text("refusals.import.row.serviceKind", { service: r.service, kind: existing.kind, given: r.kind }));
  } else {
    const d = ctx.declared.get(r.service)!;
    const line = ctx.rows[i]!.line;
    if (!d.productLine) m.push(text("refusals.import.row.newServiceLine", { service: r.service }));
    else if (r.productLine && r.productLine !== d.productLine.code) {
      m.push(text("refusals.import.row.declaredLine", { service: r.service, line: d.productLine.code, at: d.productLine.line, given: r.productLine }));
    } else {
      const pl = ctx.plByCode.get(d.productLine.code);
      if (!pl)
        m.push(
          text(d.productLine.line !== line ? "refusals.import.row.lineUnknownAt" : "refusals.import.row.lineUnknown", {
            line: d.productLine.code,
            at: d.productLine.line,
          }),
        );
      productLineId = pl?.id;
    }
    if (!d.kind) m.push(text("refusals.import.row.newServiceKind", { service: r.service, kinds: serviceKindSchema.options.join(", ") }));
    else if (r.kind && r.kind !== d.kind.kind)
      m.push(text("refusals.import.row.declaredKind", { service: r.service, kind: d.kind.kind, at: d.kind.line, given: r.kind }));
    else kind = d.kind.kind;
  }
  if (kind && !KIND_SOFTWARE[kind].includes(r.software)) {
    m.push(text("refusals.import.row.kindSoftware", { service: r.service, kind, made: KIND_SOFTWARE[kind].join(" + "), software: r.software }));
  }
  return { existing, kind, productLineId };
}

/** The host and the port: in the inventory, in the software's range, once in the file, not claimed. */
function checkPlace(ctx: RowContext, i: number, r: InstanceRow, m: RowText[]) {
  const host = ctx.hostByIp.get(r.host);
  if (!host) m.push(text("refusals.import.row.hostUnknown", { host: r.host }));
  const range = ctx.rangeOf.get(r.software);
  if (range && (r.port < range.startPort || r.port > range.endPort)) {
    m.push(text("refusals.import.row.portOutside", { port: r.port, software: r.software, start: range.startPort, end: range.endPort }));
  }
  const dup = ctx.dupAddr.get(i);
  if (dup) m.push(text("refusals.import.row.addressTwice", { address: addr(r.host, r.port), lines: dup.join(", ") }));
  const claim = host ? ctx.claimAt.get(`${host.id}:${r.port}`) : undefined;
  if (claim) {
    const at = { port: r.port, host: r.host };
    m.push(
      claim.instance
        ? text("refusals.import.row.portTaken", { ...at, id: claim.instance.id, service: claim.instance.service.name })
        : claim.allocationItem
          ? text("refusals.import.row.portLocked", { ...at, allocation: claim.allocationItem.allocationId })
          : text("refusals.import.row.portReserved", at),
    );
  }
  return host;
}

/** The master: a row of this file (masters first when writing) or an instance already catalogued. */
function checkMaster(
  ctx: RowContext,
  i: number,
  r: InstanceRow,
  existing: { id: number } | undefined,
  m: RowText[],
  masterRow: (number | null)[],
): InstancePlan["master"] {
  const { rows, good } = ctx;
  const n = ctx.normalized[i]!;
  if (r.role !== "REPLICA" && n.master) m.push(text("refusals.import.row.masterNotReplica", { role: r.role }));
  if (r.role === "REPLICA" && !n.master && !n.problems.some((x) => typeof x !== "string" && x.code === MASTER_ADDRESS)) {
    m.push(text("refusals.import.row.masterNeeded"));
  }
  if (r.role !== "REPLICA" || !n.master) return null;
  const mAddr = addr(n.master.ip, n.master.port);
  if (n.master.ip === r.host) m.push(text("refusals.import.row.masterSameHost", { master: mAddr }));
  const j = ctx.rowAt.get(mAddr);
  const mHost = ctx.hostByIp.get(n.master.ip);
  const inDb = mHost ? ctx.claimAt.get(`${mHost.id}:${n.master.port}`)?.instance : undefined;
  if (j !== undefined && !good(j)) {
    m.push(text("refusals.import.row.masterRowBad", { line: rows[j]!.line }));
  } else if (j !== undefined) {
    const mr = good(j)!;
    if (mr.service !== r.service)
      m.push(text("refusals.import.row.masterRowService", { master: mAddr, line: rows[j]!.line, service: mr.service, given: r.service }));
    else if (mr.role !== "MASTER") m.push(text("refusals.import.row.masterRowRole", { master: mAddr, line: rows[j]!.line, role: mr.role }));
    else {
      masterRow[i] = j;
      if (mHost) return { key: `${mHost.id}:${n.master.port}` };
      m.push(text("refusals.import.row.masterRowHost", { master: mAddr, line: rows[j]!.line }));
    }
  } else if (inDb) {
    if (!existing || inDb.serviceId !== existing.id)
      m.push(text("refusals.import.row.masterService", { master: mAddr, id: inDb.id, service: inDb.service.name, given: r.service }));
    else if (inDb.role !== "MASTER") m.push(text("refusals.import.row.masterRole", { master: mAddr, id: inDb.id, role: inDb.role }));
    else return { id: inDb.id };
  } else {
    m.push(text("refusals.import.row.masterUnknown", { master: mAddr }));
  }
  return null;
}

/** A replica whose master row is refused cannot be imported either (masters never depend on others). */
function dropReplicasOfRefusedMasters(rows: readonly RawRow[], plans: (InstancePlan | null)[], masterRow: (number | null)[], messages: RowText[][]) {
  rows.forEach((_, i) => {
    const j = masterRow[i];
    if (j !== null && j !== undefined && plans[j] === null && plans[i] !== null) {
      plans[i] = null;
      messages[i]!.push(text("refusals.import.row.masterRowBad", { line: rows[j]!.line }));
    }
  });
}

/** A new service is created only for its valid rows; its entry is its first instance of the entry role. */
function settleNewServices(newServices: Map<string, NewService>, plans: (InstancePlan | null)[]) {
  for (const s of newServices.values()) {
    const role = ENTRY_ROLE[s.kind];
    const first = plans.find((p) => p && p.service === s.name && p.role === role);
    s.entry = first ? { ip: first.ip, port: first.port } : null;
  }
  for (const name of [...newServices.keys()]) if (!plans.some((p) => p?.service === name)) newServices.delete(name);
}

/**
 * Writes the valid rows in bulk: new (adopted) services, then the instances that name no master in
 * this file, then their replicas, a port claim for each, and the ranges' cursors moved past them.
 */
export async function writeInstances(
  tx: DbTx,
  actor: Actor,
  plans: readonly InstancePlan[],
  newServices: ReadonlyMap<string, NewService>,
): Promise<{ instances: number; services: number }> {
  const audit: AuditInput[] = [];
  const serviceId = new Map<string, number>();
  const serviceNames = unique(plans.map((p) => p.service));
  for (const s of await tx.service.findMany({ where: { name: { in: serviceNames.filter((n) => !newServices.has(n)) } }, select: { id: true, name: true } })) {
    serviceId.set(s.name, s.id);
  }
  if (newServices.size) {
    const created = await tx.service.createManyAndReturn({
      data: [...newServices.values()].map((s) => ({
        name: s.name,
        productLineId: s.productLineId,
        kind: s.kind,
        status: "ONLINE" as const,
        adopted: true,
        description: "adopted by import",
        entryHost: s.entry?.ip ?? null,
        entryPort: s.entry?.port ?? null,
      })),
    });
    for (const s of created) {
      serviceId.set(s.name, s.id);
      audit.push({ action: "import.service", entityType: "Service", entityId: s.id, summary: `imported service ${s.name} (adopted, ${s.kind})`, after: s });
    }
  }

  const ipOf = new Map(plans.map((p) => [p.hostId, p.ip]));
  const nameOf = new Map([...serviceId].map(([name, id]) => [id, name]));
  const idAt = new Map<string, number>();
  const insert = async (batch: readonly InstancePlan[]) => {
    for (const part of chunks(batch, 1000)) {
      const created = await tx.instance.createManyAndReturn({
        data: part.map((p) => ({
          serviceId: serviceId.get(p.service)!,
          hostId: p.hostId,
          port: p.port,
          software: p.software,
          role: p.role,
          shardIndex: p.shardIndex,
          version: p.version,
          maxmemoryMb: p.maxmemoryMb,
          state: p.state,
          masterId: p.master === null ? null : "id" in p.master ? p.master.id : idAt.get(p.master.key)!,
          ...p.resources,
        })),
      });
      for (const inst of created) {
        idAt.set(`${inst.hostId}:${inst.port}`, inst.id);
        audit.push({
          action: "import.instance",
          entityType: "Instance",
          entityId: inst.id,
          summary: `imported ${inst.software} ${inst.role} ${ipOf.get(inst.hostId)}:${inst.port} in ${nameOf.get(inst.serviceId)}`,
          after: inst,
        });
      }
    }
  };
  await insert(plans.filter((p) => p.master === null || "id" in p.master));
  await insert(plans.filter((p) => p.master !== null && "key" in p.master));

  for (const part of chunks(plans, 2000)) {
    await tx.portClaim.createMany({
      data: part.map((p) => ({ hostId: p.hostId, port: p.port, software: p.software, instanceId: idAt.get(`${p.hostId}:${p.port}`)! })),
    });
  }

  // Ports keep increasing: the next port handed out comes after the highest one adopted.
  const maxPort = new Map<Software, number>();
  for (const p of plans) maxPort.set(p.software, Math.max(maxPort.get(p.software) ?? 0, p.port));
  for (const [software, max] of maxPort) {
    const [range] = await tx.$queryRaw<{ startPort: number; endPort: number; nextPort: number }[]>`
      SELECT "startPort", "endPort", "nextPort" FROM "PortRange" WHERE "software" = ${software}::"Software" FOR UPDATE`;
    if (!range) continue;
    const next = nextPortAfter(range, max);
    if (next !== range.nextPort) await tx.portRange.update({ where: { software }, data: { nextPort: next } });
  }

  await recordAuditManyChunked(tx, actor, audit);
  return { instances: idAt.size, services: newServices.size };
}
