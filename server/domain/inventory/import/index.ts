import { text } from "../../../../lib/text";
import type { DbTx } from "../../../db/client";
import type { Actor } from "../../access/actor";
import { recordAudit } from "../../audit/record";
import { badInput } from "../../errors";
import { validateHostRows, writeHosts, type HostPlan } from "./hosts";
import { validateInstanceRows, writeInstances, type InstancePlan } from "./instances";
import { parseImportText } from "./parse";
import type { ImportCommitInput, ImportPreviewInput } from "./schemas";
import { importExample, PLACEHOLDER_CONTEXT, type ExampleContext } from "./templates";
import type { ImportCreated, ImportKind, ImportReport, ImportResult } from "./types";
import { transactional } from "../../../db/transaction";

/**
 * Adoption of a fleet Hedwig did not deploy: hosts, then their running instances, from CSV or JSON.
 * `previewImport` checks every row and writes nothing; `commitImport` writes all rows or, when asked,
 * only the valid ones — in the caller's one transaction.
 */

type Checked =
  | { kind: "hosts"; report: ImportReport; plans: (HostPlan | null)[] }
  | { kind: "instances"; report: ImportReport; plans: (InstancePlan | null)[]; newServices: Awaited<ReturnType<typeof validateInstanceRows>>["newServices"] };

async function check(db: DbTx, input: ImportPreviewInput): Promise<Checked> {
  const { format, rows, notes } = parseImportText(input.kind, input.text, input.format);
  const report = (reports: ImportReport["rows"]): ImportReport => {
    const valid = reports.filter((r) => r.status === "ok").length;
    return { kind: input.kind, format, rows: reports, valid, invalid: reports.length - valid, notes };
  };
  if (input.kind === "hosts") {
    const { reports, plans } = await validateHostRows(db, rows);
    return { kind: "hosts", report: report(reports), plans };
  }
  const { reports, plans, newServices } = await validateInstanceRows(db, rows);
  return { kind: "instances", report: report(reports), plans, newServices };
}

export async function previewImport(db: DbTx, input: ImportPreviewInput): Promise<ImportReport> {
  return (await check(db, input)).report;
}

const noun = (kind: ImportKind, n: number) => `${n} ${kind === "hosts" ? (n === 1 ? "host" : "hosts") : n === 1 ? "instance" : "instances"}`;

export const commitImport = transactional(
  async function commitImport(db: DbTx, actor: Actor, input: ImportCommitInput): Promise<ImportResult> {
    const checked = await check(db, input);
    const { report } = checked;
    if (report.invalid > 0 && !input.onlyValid) {
      throw badInput(text("refusals.import.someInvalid", { invalid: report.invalid, rows: report.rows.length, valid: report.valid }), report);
    }
    if (report.valid === 0) throw badInput(text("refusals.import.noneValid"), report);

    const created: ImportCreated = { hosts: 0, racks: 0, services: 0, instances: 0 };
    if (checked.kind === "hosts") {
      const r = await writeHosts(
        db,
        actor,
        checked.plans.filter((p): p is HostPlan => p !== null),
      );
      created.hosts = r.hosts;
      created.racks = r.racks;
    } else {
      const r = await writeInstances(
        db,
        actor,
        checked.plans.filter((p): p is InstancePlan => p !== null),
        checked.newServices,
      );
      created.instances = r.instances;
      created.services = r.services;
    }
    const parts = [
      checked.kind === "hosts" ? noun("hosts", created.hosts) : noun("instances", created.instances),
      created.racks ? `${created.racks} new rack(s)` : null,
      created.services ? `${created.services} adopted service(s)` : null,
    ].filter(Boolean);
    await recordAudit(db, actor, {
      action: "import.summary",
      entityType: "Import",
      entityId: null,
      summary: `imported ${parts.join(", ")} from ${report.format.toUpperCase()}${report.invalid ? `; skipped ${report.invalid} invalid row(s) (lines ${skippedLines(report)})` : ""}`,
      after: { kind: input.kind, format: report.format, rows: report.rows.length, created, skipped: report.invalid },
    });
    return { created, skipped: report.invalid, report };
  },
  { timeout: 120_000, maxWait: 10_000 },
);

function skippedLines(report: ImportReport): string {
  const lines = report.rows.filter((r) => r.status === "error").map((r) => r.line);
  return lines.slice(0, 20).join(", ") + (lines.length > 20 ? ", …" : "");
}

/** An example file for the kind, naming codes and hosts of this inventory when it has them. */
export async function exampleForImport(db: DbTx, kind: ImportKind): Promise<{ csv: string; json: string }> {
  const [idc, department, productLine, hosts, redis] = await Promise.all([
    db.idc.findFirst({ orderBy: { id: "asc" }, select: { code: true, racks: { select: { code: true }, orderBy: { id: "asc" }, take: 1 } } }),
    db.department.findFirst({ orderBy: { id: "asc" }, select: { code: true } }),
    db.productLine.findFirst({ orderBy: { id: "asc" }, select: { code: true } }),
    db.host.findMany({ where: { status: "ONLINE" }, orderBy: { id: "asc" }, take: 2, select: { ip: true } }),
    db.portRange.findUnique({ where: { software: "REDIS" } }),
  ]);
  const ctx: ExampleContext = {
    idc: idc?.code ?? PLACEHOLDER_CONTEXT.idc,
    rack: idc?.racks[0]?.code ?? PLACEHOLDER_CONTEXT.rack,
    department: department?.code ?? null,
    productLine: productLine?.code ?? PLACEHOLDER_CONTEXT.productLine,
    hostIps: hosts.length === 2 ? [hosts[0]!.ip, hosts[1]!.ip] : PLACEHOLDER_CONTEXT.hostIps,
    redisPort: redis ? Math.min(Math.max(redis.nextPort, redis.startPort), redis.endPort) : PLACEHOLDER_CONTEXT.redisPort,
  };
  return importExample(kind, ctx);
}

export { IMPORT_LIMITS } from "./parse";
export type { ImportReport, ImportResult, RowReport } from "./types";
