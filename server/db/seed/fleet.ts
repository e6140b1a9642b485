import type { HostStatus, UsageTier } from "../../../generated/prisma/client";
import type { Db, DbTx } from "../client";
import { chunks } from "./batch";
import { DEMO_RACKS_PER_IDC, DEPARTMENTS, IDCS, rackCode, rackModel } from "./catalog";
import { demoNet } from "./demo-net";
import { createRng, type Rng } from "./prng";

export type HostPlan = {
  ip: string;
  hostname: string;
  idc: string;
  rack: string;
  cpuCores: number;
  memoryMb: number;
  diskGb: number;
  bandwidthMbps: number;
  labels: Record<string, string>;
  status: HostStatus;
  tier: UsageTier;
  department: string | null;
  facts: Record<string, string>;
};

/** Benchmark host n lives in 127.10.0.0 and up, clear of the demo hosts and the VIPs. */
function scaledHostIp(n: number): string {
  const block = Math.floor(n / 254);
  return `127.${10 + Math.floor(block / 256)}.${block % 256}.${(n % 254) + 1}`;
}

function scaledHostIndex(ip: string): number | null {
  const [a, b, c, d] = ip.split(".").map(Number);
  if (a !== 127 || b === undefined || c === undefined || d === undefined || b < 10) return null;
  return ((b - 10) * 256 + c) * 254 + d - 1;
}

const STATUS: readonly (readonly [HostStatus, number])[] = [
  ["ONLINE", 92],
  ["MAINTENANCE", 3],
  ["OFFLINE", 2],
  ["LOCKED", 3],
];

function buildHost(rng: Rng, at: { ip: string; hostname: string; idcIndex: number; rackNumber: number; tier: UsageTier; department: string | null }): HostPlan {
  const idc = IDCS[at.idcIndex]!;
  const model = rackModel(at.idcIndex, at.rackNumber);
  // Only shared hosts carry non-production work.
  const env =
    at.tier === "MIXED"
      ? rng.weighted([
          ["prod", 60],
          ["staging", 25],
          ["test", 15],
        ] as const)
      : "prod";
  const labels: Record<string, string> = { region: idc.region, model: model.name, env, disk: model.disk };
  if (rng.chance(0.3)) labels.gpu = "none";
  return {
    ip: at.ip,
    hostname: at.hostname,
    idc: idc.code,
    rack: rackCode(at.rackNumber),
    cpuCores: model.cpuCores,
    memoryMb: model.memoryMb,
    diskGb: model.diskGb,
    bandwidthMbps: model.bandwidthMbps,
    labels,
    status: rng.weighted(STATUS),
    tier: at.tier,
    department: at.department,
    facts: model.facts,
  };
}

/**
 * The demo fleet: hosts spread evenly over 3 IDCs × 8 racks. Within each rack the first ~30% are
 * DEDICATED, the next ~40% MIXED_DEPARTMENT (departments rotating, so each department has hosts in
 * several racks of every IDC) and the rest MIXED.
 */
export function planDemoHosts(rng: Rng, count: number): HostPlan[] {
  const net = demoNet();
  const racks = IDCS.length * DEMO_RACKS_PER_IDC;
  const hosts: HostPlan[] = [];
  for (let idcIndex = 0; idcIndex < IDCS.length; idcIndex++) {
    let nextDepartment = idcIndex;
    for (let rackNumber = 1; rackNumber <= DEMO_RACKS_PER_IDC; rackNumber++) {
      const slot = idcIndex * DEMO_RACKS_PER_IDC + rackNumber - 1;
      const inRack = Math.floor(count / racks) + (slot < count % racks ? 1 : 0);
      for (let h = 0; h < inRack; h++) {
        const share = h / inRack;
        const tier: UsageTier = share < 0.3 ? "DEDICATED" : share < 0.7 ? "MIXED_DEPARTMENT" : "MIXED";
        const department = tier === "MIXED_DEPARTMENT" ? DEPARTMENTS[nextDepartment++ % DEPARTMENTS.length]!.code : null;
        hosts.push(
          buildHost(rng, {
            ip: net.hostIp(hosts.length),
            hostname: `${IDCS[idcIndex]!.code}-${rackCode(rackNumber)}-h${String(h + 1).padStart(2, "0")}`,
            idcIndex,
            rackNumber,
            tier,
            department,
          }),
        );
      }
    }
  }
  return hosts;
}

/** Creates the IDCs and the racks r01…rNN that are missing; returns rack ids by "idc/rack". */
export async function ensureIdcsAndRacks(db: DbTx, racksPerIdc: readonly number[]): Promise<Map<string, number>> {
  await db.idc.createMany({ data: IDCS.map((idc) => ({ ...idc, isDemo: true })), skipDuplicates: true });
  const idcs = await db.idc.findMany({ where: { code: { in: IDCS.map((i) => i.code) } } });
  await db.rack.createMany({
    data: idcs.flatMap((idc) =>
      Array.from({ length: racksPerIdc[IDCS.findIndex((i) => i.code === idc.code)] ?? 0 }, (_, i) => ({
        idcId: idc.id,
        code: rackCode(i + 1),
        isDemo: true,
      })),
    ),
    skipDuplicates: true,
  });
  const racks = await db.rack.findMany({ where: { idcId: { in: idcs.map((i) => i.id) } }, include: { idc: true } });
  return new Map(racks.map((r) => [`${r.idc.code}/${r.code}`, r.id]));
}

function hostRow(h: HostPlan, rackIds: Map<string, number>, departmentIds: Map<string, number>) {
  const rackId = rackIds.get(`${h.idc}/${h.rack}`);
  if (rackId === undefined) throw new Error(`rack ${h.idc}/${h.rack} was not created`);
  const { idc: _idc, rack: _rack, department, ...fields } = h;
  return {
    ...fields,
    rackId,
    departmentId: department ? (departmentIds.get(department) ?? null) : null,
    executor: "LOCAL" as const,
    isDemo: true,
  };
}

/** Inserts the hosts; returns host ids by IP. */
export async function insertHosts(
  db: DbTx,
  hosts: readonly HostPlan[],
  rackIds: Map<string, number>,
  departmentIds: Map<string, number>,
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const part of chunks(hosts)) {
    const created = await db.host.createManyAndReturn({
      data: part.map((h) => hostRow(h, rackIds, departmentIds)),
      select: { id: true, ip: true },
    });
    for (const h of created) ids.set(h.ip, h.id);
  }
  return ids;
}

const SCALE_RACKS = 200;

/**
 * Adds `count` empty demo hosts for benchmarks, spread over 200 racks in the 3 IDCs, with IPs
 * after the last benchmark host already there. Departments come from the database; without any,
 * the department tier is left out.
 */
export async function seedScaledHosts(db: Db, count: number): Promise<{ created: number; ms: number }> {
  const started = performance.now();
  const rackIds = await ensureIdcsAndRacks(
    db,
    IDCS.map((_, i) => Math.floor(SCALE_RACKS / IDCS.length) + (i < SCALE_RACKS % IDCS.length ? 1 : 0)),
  );
  const departments = await db.department.findMany({ select: { id: true, code: true }, orderBy: { id: "asc" } });
  const departmentIds = new Map(departments.map((d) => [d.code, d.id]));
  const existing = await db.host.findMany({ where: { ip: { startsWith: "127.1" } }, select: { ip: true } });
  const first = existing.reduce((max, h) => Math.max(max, (scaledHostIndex(h.ip) ?? -1) + 1), 0);

  const rng = createRng(first + 1);
  const hosts: HostPlan[] = [];
  for (let n = first; n < first + count; n++) {
    const slot = n % SCALE_RACKS;
    const idcIndex = slot % IDCS.length;
    const rackNumber = Math.floor(slot / IDCS.length) + 1;
    let tier = rng.weighted([
      ["DEDICATED", 30],
      ["MIXED_DEPARTMENT", 40],
      ["MIXED", 30],
    ] as const);
    if (tier === "MIXED_DEPARTMENT" && departments.length === 0) tier = "MIXED";
    hosts.push(
      buildHost(rng, {
        ip: scaledHostIp(n),
        hostname: `${IDCS[idcIndex]!.code}-${rackCode(rackNumber)}-h${String(n + 1).padStart(5, "0")}`,
        idcIndex,
        rackNumber,
        tier,
        department: tier === "MIXED_DEPARTMENT" ? departments[n % departments.length]!.code : null,
      }),
    );
  }
  for (const part of chunks(hosts, 2000)) {
    await db.host.createMany({ data: part.map((h) => hostRow(h, rackIds, departmentIds)) });
  }
  return { created: hosts.length, ms: Math.round(performance.now() - started) };
}
