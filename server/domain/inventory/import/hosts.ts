import { text } from "../../../../lib/text";
import type { Prisma } from "../../../../generated/prisma/client";
import type { DbTx } from "../../../db/client";
import type { Actor } from "../../access/actor";
import { recordAuditMany, type AuditInput } from "../../audit/record";
import { departmentCreateSchema, hostCreateSchema, idcCreateSchema, rackCreateSchema } from "../schemas";
import { chunks, duplicateLines, unique } from "./util";
import { issuesToMessages, said } from "./issues";
import type { RawRow, RowReport, RowText } from "./types";
import { toEnum, toLabels, toNumber, toText } from "./values";

/** A host row read into the shape of `hostCreateSchema`, plus the codes it names. */
export type NormalizedHost = {
  input: Record<string, unknown>;
  /** schema field → column that fed it, for messages */
  columnOf: Record<string, string>;
  refs: { idc?: string; rack?: string; department?: string };
  problems: RowText[];
};

const lowerCode = (v: unknown) => {
  const t = toText(v);
  return typeof t === "string" ? t.toLowerCase() : t;
};

function checkCode(
  schema: { safeParse(v: unknown): { success: boolean; error?: { issues: { message: string }[] } } },
  column: string,
  v: unknown,
  problems: RowText[],
): string | undefined {
  if (v === undefined) return undefined;
  const r = schema.safeParse(v);
  if (!r.success) {
    problems.push(
      text("refusals.import.row.badCode", { column, value: typeof v === "string" ? `"${v}"` : JSON.stringify(v), why: said(r.error!.issues[0]!.message) }),
    );
    return undefined;
  }
  return v as string;
}

/** Pure: cells → schema input. Rack and department ids are resolved later, against the database. */
export function normalizeHostRow(values: Record<string, unknown>): NormalizedHost {
  const problems: RowText[] = [];
  const columnOf: Record<string, string> = { rackId: "rack", departmentId: "department" };

  let memoryMb = toNumber(values.memoryMb);
  const memoryGb = toNumber(values.memoryGb);
  if (memoryGb !== undefined) {
    if (memoryMb === undefined) {
      memoryMb = typeof memoryGb === "number" ? Math.round(memoryGb * 1024) : memoryGb;
      columnOf.memoryMb = "memoryGb";
    } else if (typeof memoryGb !== "number" || memoryMb !== Math.round(memoryGb * 1024)) {
      problems.push(text("refusals.import.row.memoryTwice", { mb: String(values.memoryMb), gb: String(values.memoryGb) }));
    }
  }
  const labels = toLabels(values.labels);
  problems.push(...labels.problems);

  const idcRaw = lowerCode(values.idc);
  const rackRaw = lowerCode(values.rack);
  const deptRaw = lowerCode(values.department);
  if (idcRaw === undefined) problems.push(text("refusals.import.row.idcRequired"));
  if (rackRaw === undefined) problems.push(text("refusals.import.row.rackRequired"));
  const refs = {
    idc: checkCode(idcCreateSchema.shape.code, "idc", idcRaw, problems),
    rack: checkCode(rackCreateSchema.shape.code, "rack", rackRaw, problems),
    department: checkCode(departmentCreateSchema.shape.code, "department", deptRaw, problems),
  };
  const tier = toEnum(values.tier);
  const needsDepartment = tier === "MIXED_DEPARTMENT" && deptRaw === undefined;
  if (needsDepartment) problems.push(text("refusals.import.row.departmentNeeded"));
  const input = {
    ip: toText(values.ip),
    hostname: toText(values.hostname),
    // placeholders so the schema checks everything else; the real ids come from the codes
    rackId: 1,
    cpuCores: toNumber(values.cpuCores),
    memoryMb,
    diskGb: toNumber(values.diskGb),
    bandwidthMbps: toNumber(values.bandwidthMbps),
    labels: labels.problems.length ? {} : labels.labels,
    status: toEnum(values.status),
    tier,
    departmentId: deptRaw !== undefined || needsDepartment ? 1 : null,
  };
  return { input, columnOf, refs, problems };
}

/** What a valid row will write. */
export type HostPlan = {
  line: number;
  idcId: number;
  idcCode: string;
  rackCode: string;
  /** the rack exists already */
  rackId: number | null;
  data: Omit<Prisma.HostCreateManyInput, "rackId">;
};

const summaryOf = (v: Record<string, unknown>) => [v.ip ?? "?", v.hostname ?? "?", `${v.idc ?? "?"}/${v.rack ?? "?"}`].map(String).join(" · ");

/** Checks every row completely (schema, codes, duplicates in the file, the database) without writing. */
export async function validateHostRows(db: DbTx, rows: readonly RawRow[]): Promise<{ reports: RowReport[]; plans: (HostPlan | null)[] }> {
  const normalized = rows.map((r) => normalizeHostRow(r.values));
  const parsed = normalized.map((n) => hostCreateSchema.safeParse(n.input));

  const ips = unique(parsed.flatMap((p) => (p.success ? [p.data.ip] : [])));
  const idcCodes = unique(normalized.flatMap((n) => (n.refs.idc ? [n.refs.idc] : [])));
  const deptCodes = unique(normalized.flatMap((n) => (n.refs.department ? [n.refs.department] : [])));
  const [idcs, departments, existing] = await Promise.all([
    db.idc.findMany({ select: { id: true, code: true }, orderBy: { code: "asc" } }),
    deptCodes.length ? db.department.findMany({ where: { code: { in: deptCodes } }, select: { id: true, code: true } }) : [],
    ips.length ? db.host.findMany({ where: { ip: { in: ips } }, select: { id: true, ip: true, hostname: true } }) : [],
  ]);
  const idcByCode = new Map(idcs.map((i) => [i.code, i]));
  const usedIdcIds = idcCodes.flatMap((c) => (idcByCode.has(c) ? [idcByCode.get(c)!.id] : []));
  const racks = usedIdcIds.length ? await db.rack.findMany({ where: { idcId: { in: usedIdcIds } }, select: { id: true, idcId: true, code: true } }) : [];
  const rackByKey = new Map(racks.map((r) => [`${r.idcId}/${r.code}`, r.id]));
  const deptByCode = new Map(departments.map((d) => [d.code, d.id]));
  const hostByIp = new Map(existing.map((h) => [h.ip, h]));
  const dupIps = duplicateLines(rows, (_, i) => (parsed[i]!.success ? parsed[i]!.data!.ip : undefined));
  const knownIdcs =
    idcs
      .slice(0, 12)
      .map((i) => i.code)
      .join(", ") + (idcs.length > 12 ? ", …" : "");

  const reports: RowReport[] = [];
  const plans: (HostPlan | null)[] = [];
  rows.forEach((row, i) => {
    const n = normalized[i]!;
    const p = parsed[i]!;
    const messages = [...row.problems, ...n.problems];
    const notes: RowText[] = [];
    if (!p.success) messages.push(...issuesToMessages(p.error.issues, row.values, n.columnOf));

    const idc = n.refs.idc ? idcByCode.get(n.refs.idc) : undefined;
    if (n.refs.idc && !idc) {
      messages.push(text(idcs.length ? "refusals.import.row.idcUnknownKnown" : "refusals.import.row.idcUnknown", { idc: n.refs.idc, known: knownIdcs }));
    }
    const rackId = idc && n.refs.rack ? (rackByKey.get(`${idc.id}/${n.refs.rack}`) ?? null) : null;
    if (idc && n.refs.rack && rackId === null) notes.push(text("refusals.import.row.newRack", { rack: n.refs.rack, idc: idc.code }));
    const departmentId = n.refs.department ? deptByCode.get(n.refs.department) : undefined;
    if (n.refs.department && departmentId === undefined) messages.push(text("refusals.import.row.departmentUnknown", { department: n.refs.department }));
    if (n.refs.department && p.success && p.data.tier !== "MIXED_DEPARTMENT")
      notes.push(text("refusals.import.row.departmentIgnored", { department: n.refs.department }));

    if (p.success) {
      const other = dupIps.get(i);
      if (other) messages.push(text("refusals.import.row.ipTwice", { ip: p.data.ip, lines: other.join(", ") }));
      const known = hostByIp.get(p.data.ip);
      if (known) messages.push(text("refusals.import.row.ipKnown", { ip: p.data.ip, hostname: known.hostname, id: known.id }));
    }

    const ok = messages.length === 0 && p.success && idc !== undefined && n.refs.rack !== undefined;
    reports.push({ line: row.line, status: ok ? "ok" : "error", messages, notes: ok ? notes : [], summary: summaryOf(row.values) });
    if (!ok) {
      plans.push(null);
      return;
    }
    const h = p.data!;
    plans.push({
      line: row.line,
      idcId: idc!.id,
      idcCode: idc!.code,
      rackCode: n.refs.rack!,
      rackId,
      data: {
        ip: h.ip,
        hostname: h.hostname,
        cpuCores: h.cpuCores,
        memoryMb: h.memoryMb,
        diskGb: h.diskGb,
        bandwidthMbps: h.bandwidthMbps,
        labels: h.labels,
        status: h.status,
        tier: h.tier,
        departmentId: h.tier === "MIXED_DEPARTMENT" ? (departmentId ?? null) : null,
        facts: h.facts as Prisma.InputJsonValue,
        executor: h.executor,
      },
    });
  });
  return { reports, plans };
}

/** Writes the valid rows: new racks first, then the hosts in bulk, with one audit entry per created entity. */
export async function writeHosts(tx: DbTx, actor: Actor, plans: readonly HostPlan[]): Promise<{ hosts: number; racks: number }> {
  const audit: AuditInput[] = [];
  const newRacks = new Map<string, { idcId: number; code: string; idcCode: string }>();
  for (const p of plans) if (p.rackId === null) newRacks.set(`${p.idcId}/${p.rackCode}`, { idcId: p.idcId, code: p.rackCode, idcCode: p.idcCode });
  const rackIds = new Map<string, number>();
  if (newRacks.size) {
    const created = await tx.rack.createManyAndReturn({ data: [...newRacks.values()].map(({ idcId, code }) => ({ idcId, code })) });
    for (const r of created) {
      rackIds.set(`${r.idcId}/${r.code}`, r.id);
      const idcCode = newRacks.get(`${r.idcId}/${r.code}`)!.idcCode;
      audit.push({
        action: "import.rack",
        entityType: "Rack",
        entityId: r.id,
        summary: `imported rack ${idcCode}/${r.code} (created for imported hosts)`,
        after: r,
      });
    }
  }
  let hosts = 0;
  for (const part of chunks(plans, 1000)) {
    const created = await tx.host.createManyAndReturn({
      data: part.map((p) => ({ ...p.data, rackId: p.rackId ?? rackIds.get(`${p.idcId}/${p.rackCode}`)! })),
    });
    hosts += created.length;
    for (const h of created) {
      audit.push({ action: "import.host", entityType: "Host", entityId: h.id, summary: `imported host ${h.ip} (${h.hostname})`, after: h });
    }
  }
  await recordAuditManyChunked(tx, actor, audit);
  return { hosts, racks: newRacks.size };
}

export async function recordAuditManyChunked(tx: DbTx, actor: Actor, entries: readonly AuditInput[]): Promise<void> {
  for (const part of chunks(entries, 1000)) await recordAuditMany(tx, actor, part);
}
