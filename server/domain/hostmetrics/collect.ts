import type { DbTx } from "../../db/client";
import { notFound } from "../errors";
import type { Executor } from "../executors/executor";
import { dataDir, executorFor } from "../provisioning/deploy/executors";
import { hostFigures, parseFacts, type HostCounters, type HostFacts, type HostFigures } from "./parse";
import { readHost } from "./read";
import { loadHostMetricsSettings, type HostMetricsSettings } from "./settings";
import { rollupRecentHostHours } from "./store";
import { text } from "../../../lib/text";

type HostRow = {
  id: number;
  ip: string;
  executor: "LOCAL" | "SSH";
  isDemo: boolean;
  facts: unknown;
  metricState: { counters: unknown; dataDiskFreeGb: number | null; netMbps: number | null } | null;
};

export type HostResult = {
  hostId: number;
  up: boolean;
  error: string | null;
  figures: HostFigures | null;
  counters: HostCounters | null;
  facts: HostFacts | null;
};

/** The facts a reading refreshes on the host row; others (a DBA's, an import's) stay. */
const FACT_KEYS = ["kernel", "os", "cpuModel", "productModel"] as const;

/** A moved measurement the scheduler must see (it caches the fleet until FleetVersion moves). */
const moved = (before: number | null, after: number | null, scale: number) =>
  (before === null) !== (after === null) || Math.abs((after ?? 0) - (before ?? 0)) > scale;

/**
 * Reads every host that is not offline through its executor, `concurrency` at a time, and writes
 * one HostSample each, the state the next reading needs (counters, facts, the scheduler's measured
 * free disk and bandwidth) and the reported facts on a real host's row (a demo host runs on this
 * machine, so its catalogued facts are kept). Returns each host's outcome.
 */
export async function collectHostMetrics(
  db: DbTx,
  now: Date,
  opts: Partial<HostMetricsSettings> & { hostIds?: number[]; executor?: (h: HostRow) => Promise<Executor> } = {},
): Promise<HostResult[]> {
  const settings = { ...(await loadHostMetricsSettings(db)), ...opts };
  const hosts: HostRow[] = await db.host.findMany({
    where: { status: { not: "OFFLINE" }, ...(opts.hostIds ? { id: { in: opts.hostIds } } : {}) },
    select: { id: true, ip: true, executor: true, isDemo: true, facts: true, metricState: { select: { counters: true, dataDiskFreeGb: true, netMbps: true } } },
    orderBy: { id: "asc" },
  });
  const dir = dataDir();
  const connect = opts.executor ?? ((h: HostRow) => executorFor(db, h, dir));
  const results: HostResult[] = [];
  const queue = [...hosts];
  await Promise.all(
    Array.from({ length: Math.min(settings.concurrency, queue.length) }, async () => {
      for (let h = queue.shift(); h; h = queue.shift()) {
        try {
          const reading = await readHost(await connect(h), settings.dataPath, settings.logPath);
          const previous = (h.metricState?.counters as HostCounters | undefined)?.at ? (h.metricState!.counters as HostCounters) : null;
          const { figures, counters } = hostFigures(reading, Date.now(), previous);
          results.push({ hostId: h.id, up: true, error: null, figures, counters, facts: parseFacts(reading) });
        } catch (e) {
          results.push({ hostId: h.id, up: false, error: (e as Error).message.slice(0, 500), figures: null, counters: null, facts: null });
        }
      }
    }),
  );
  if (results.length === 0) return results;
  results.sort((a, b) => a.hostId - b.hostId);
  await store(db, now, hosts, results);
  return results;
}

async function store(db: DbTx, now: Date, hosts: HostRow[], results: HostResult[]) {
  const byId = new Map(hosts.map((h) => [h.id, h]));
  const rows = results.map((r) => ({ hostId: r.hostId, up: r.up, error: r.error, ...(r.figures ?? {}) }));
  await db.$executeRawUnsafe(
    `INSERT INTO "HostSample" ("hostId", "at", "up", "cpuPct", "load1", "load5", "load15", "memTotalMb", "memUsedMb",
                               "dataDiskTotalGb", "dataDiskFreeGb", "logDiskTotalGb", "logDiskFreeGb", "netInMbps", "netOutMbps", "error")
     SELECT x."hostId", $2::timestamptz, x."up", x."cpuPct", x."load1", x."load5", x."load15", x."memTotalMb", x."memUsedMb",
            x."dataDiskTotalGb", x."dataDiskFreeGb", x."logDiskTotalGb", x."logDiskFreeGb", x."netInMbps", x."netOutMbps", x."error"
     FROM jsonb_to_recordset($1::jsonb) AS x("hostId" int, "up" boolean, "cpuPct" float8, "load1" float8, "load5" float8, "load15" float8,
          "memTotalMb" float8, "memUsedMb" float8, "dataDiskTotalGb" float8, "dataDiskFreeGb" float8, "logDiskTotalGb" float8, "logDiskFreeGb" float8,
          "netInMbps" float8, "netOutMbps" float8, "error" text)
     ON CONFLICT ("hostId", "at") DO NOTHING`,
    JSON.stringify(rows),
    now.toISOString(),
  );
  // a host that did not answer keeps its last counters and measurements: the scheduler's unreachable filter covers it
  const answered = results.filter((r) => r.up);
  const states = answered.map((r) => ({
    hostId: r.hostId,
    counters: r.counters ?? {},
    facts: r.facts ?? {},
    dataDiskFreeGb: r.figures!.dataDiskFreeGb,
    netMbps: r.figures!.netInMbps === null || r.figures!.netOutMbps === null ? null : Math.max(r.figures!.netInMbps, r.figures!.netOutMbps),
  }));
  const failed = results.filter((r) => !r.up).map((r) => ({ hostId: r.hostId, error: r.error }));
  await db.$executeRawUnsafe(
    `INSERT INTO "HostMetricState" ("hostId", "at", "counters", "facts", "dataDiskFreeGb", "netMbps", "error")
     SELECT x."hostId", $2::timestamptz AT TIME ZONE 'UTC', x."counters", x."facts", x."dataDiskFreeGb", x."netMbps", NULL
     FROM jsonb_to_recordset($1::jsonb) AS x("hostId" int, "counters" jsonb, "facts" jsonb, "dataDiskFreeGb" float8, "netMbps" float8)
     ON CONFLICT ("hostId") DO UPDATE SET "at" = excluded."at", "counters" = excluded."counters", "facts" = excluded."facts",
       "dataDiskFreeGb" = excluded."dataDiskFreeGb", "netMbps" = excluded."netMbps", "error" = NULL`,
    JSON.stringify(states),
    now.toISOString(),
  );
  if (failed.length) {
    await db.$executeRawUnsafe(
      `INSERT INTO "HostMetricState" ("hostId", "at", "error")
       SELECT x."hostId", $2::timestamptz AT TIME ZONE 'UTC', x."error" FROM jsonb_to_recordset($1::jsonb) AS x("hostId" int, "error" text)
       ON CONFLICT ("hostId") DO UPDATE SET "at" = excluded."at", "error" = excluded."error"`,
      JSON.stringify(failed),
      now.toISOString(),
    );
  }
  // reported facts onto a real host's row, only when they changed
  for (const r of answered) {
    const h = byId.get(r.hostId)!;
    if (h.isDemo || h.executor === "LOCAL" || !r.facts) continue;
    const current = (h.facts ?? {}) as Record<string, unknown>;
    const changed = FACT_KEYS.filter((k) => r.facts![k] !== undefined && current[k] !== r.facts![k]);
    if (changed.length) await db.host.update({ where: { id: h.id }, data: { facts: { ...current, ...r.facts } } });
  }
  // the scheduler re-reads the fleet only when a measurement moved enough to matter
  const shifted = states.some((s) => {
    const before = byId.get(s.hostId)!.metricState;
    return !before || moved(before.dataDiskFreeGb, s.dataDiskFreeGb, 1) || moved(before.netMbps, s.netMbps, 10);
  });
  if (shifted) await db.$executeRawUnsafe(`UPDATE "FleetVersion" SET "version" = "version" + 1 WHERE "id" = 1`);
}

/** One host read now (the host page's "Collect now"), its hour rolled up so the charts show it. */
export async function collectHostNow(db: DbTx, hostId: number): Promise<{ up: boolean; error: string | null }> {
  const now = new Date();
  const [r] = await collectHostMetrics(db, now, { hostIds: [hostId] });
  if (!r) throw notFound(text("refusals.notFound.hostOnline", { id: hostId }));
  await rollupRecentHostHours(db, now);
  return { up: r.up, error: r.error };
}
