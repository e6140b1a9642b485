import { Redis } from "ioredis";
import type { Db, DbTx } from "../../db/client";
import type { Executor } from "../executors/executor";
import { listenersAt } from "../executors/tcp";
import type { RedisAuth } from "../credentials/model";
import { authByService, loadServiceSecrets } from "../credentials/store";
import { legacyRenamedCommands } from "../provisioning/configs/redis-conf";
import { authOptions } from "../provisioning/deploy/probes";
import { dataDir, executorFor } from "../provisioning/deploy/executors";
import { instanceLayout } from "../provisioning/layout";
import { parseInfo } from "../monitoring/info";
import {
  configDrift,
  countBySeverity,
  driftText,
  hasProxyTimeout,
  liveRedisFindings,
  parseRedisConf,
  placementFindings,
  versionSkewFindings,
  type Finding,
  type PlacedInstance,
} from "./checks";

const READ_TIMEOUT_MS = 3000;
const CONCURRENCY = 32;

type Row = PlacedInstance & { state: string; executor: "LOCAL" | "SSH"; serviceKind: string };

/** The name CONFIG answers to on an instance: renamed after Hedwig's password before Redis 6. */
export async function configCommand(db: DbTx, serviceId: number, version: string, cache: Map<number, string>): Promise<string> {
  if (Number.parseInt(version, 10) >= 6) return "CONFIG";
  let name = cache.get(serviceId);
  if (!name) {
    const secrets = await loadServiceSecrets(db, serviceId);
    cache.set(serviceId, (name = secrets ? legacyRenamedCommands(secrets).CONFIG! : "CONFIG"));
  }
  return name;
}

export function connectRedis(ip: string, port: number, auth: RedisAuth | null): Redis {
  return new Redis({
    host: ip,
    port,
    ...authOptions(auth),
    lazyConnect: true,
    connectTimeout: READ_TIMEOUT_MS,
    commandTimeout: READ_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
    enableReadyCheck: false,
    connectionName: "hedwig-inspection",
  });
}

const pairs = (flat: unknown): Record<string, string> => {
  const out: Record<string, string> = {};
  const a = flat as string[];
  for (let i = 0; i + 1 < a.length; i += 2) out[a[i]!] = a[i + 1]!;
  return out;
};

/** Reads a deployed instance's rendered file through its host's executor (kept per host for the run). */
class Files {
  private readonly execs = new Map<number, Promise<Executor>>();
  constructor(private readonly db: DbTx) {}
  read(i: { hostId: number; ip: string; executor: "LOCAL" | "SSH"; software: string; version: string; port: number }): Promise<string> {
    let e = this.execs.get(i.hostId);
    if (!e) this.execs.set(i.hostId, (e = executorFor(this.db, { id: i.hostId, ip: i.ip, executor: i.executor }, dataDir())));
    return e.then((x) => x.readFile(instanceLayout(i.software as "REDIS", i.version, i.port).confFile));
  }
}

async function pool<T>(items: T[], n: number, fn: (t: T) => Promise<void>) {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: Math.min(n, queue.length) }, async () => {
      for (let t = queue.shift(); t !== undefined; t = queue.shift()) await fn(t);
    }),
  );
}

const where = (i: { ip: string; port: number }) => `${i.ip}:${i.port}`;

/** Everything one inspection looks at, and what it found. Pure reads: nothing is changed. */
export async function inspectFleet(
  db: DbTx,
  opts: { concurrency?: number; serviceIds?: number[] } = {},
): Promise<{ findings: Finding[]; instances: number; services: number }> {
  const rows = await db.$queryRawUnsafe<Row[]>(
    `SELECT i."id", i."serviceId", s."name" AS service, s."kind"::text AS "serviceKind", i."role"::text AS role, i."shardIndex", i."masterId",
            i."hostId", h."ip", i."port", h."rackId", r."code" AS rack, i."software"::text AS software, i."version", i."state"::text AS state,
            h."executor"::text AS executor
     FROM "Instance" i JOIN "Service" s ON s."id" = i."serviceId" JOIN "Host" h ON h."id" = i."hostId" JOIN "Rack" r ON r."id" = h."rackId"
     WHERE s."status" <> 'DECOMMISSIONED' ${opts.serviceIds ? `AND s."id" = ANY($1::int[])` : ""}
     ORDER BY i."id"`,
    ...(opts.serviceIds ? [opts.serviceIds] : []),
  );
  const findings: Finding[] = [];
  const live = rows.filter((r) => r.state === "RUNNING");
  const redis = live.filter((r) => r.software === "REDIS");
  const proxies = live.filter((r) => r.software === "TWEMPROXY");
  const auth = await authByService(db, [...new Set(redis.map((r) => r.serviceId))], "OPS");
  const files = new Files(db);
  const configNames = new Map<number, string>();
  const unreadable = (r: Row, error: string): Finding => ({
    code: "unreadable",
    severity: "INFO",
    serviceId: r.serviceId,
    instanceId: r.id,
    hostId: r.hostId,
    params: { service: r.service, instance: where(r), error: error.slice(0, 300) },
    fixable: false,
  });

  await pool(redis, opts.concurrency ?? CONCURRENCY, async (r) => {
    const c = connectRedis(r.ip, r.port, auth.get(r.serviceId) ?? null);
    try {
      await c.connect();
      const config = await configCommand(db, r.serviceId, r.version, configNames);
      const [[infoErr, infoText], [cfgErr, cfg]] = (await c.pipeline().call("info").call(config, "get", "*").exec()) as [
        [Error | null, unknown],
        [Error | null, unknown],
      ];
      if (infoErr) throw infoErr;
      const info = parseInfo(String(infoText)).fields;
      r.liveVersion = info.redis_version ?? null;
      const running = cfgErr ? {} : pairs(cfg);
      findings.push(
        ...liveRedisFindings({ instanceId: r.id, serviceId: r.serviceId, hostId: r.hostId, service: r.service, where: where(r), info, config: running }),
      );
      if (cfgErr) return void findings.push(unreadable(r, `CONFIG GET: ${cfgErr.message}`));
      const text = await files.read(r).catch(() => null);
      // an adopted instance has no file Hedwig rendered: nothing to drift from
      if (text === null) return;
      const drift = configDrift(parseRedisConf(text), running);
      if (drift.length)
        findings.push({
          code: "configDrift",
          severity: "WARNING",
          serviceId: r.serviceId,
          instanceId: r.id,
          hostId: r.hostId,
          params: { service: r.service, instance: where(r), drift: driftText(drift), keys: drift.length },
          fixable: true,
        });
    } catch (e) {
      findings.push(unreadable(r, (e as Error).message));
    } finally {
      c.disconnect();
    }
  });

  await pool(proxies, opts.concurrency ?? CONCURRENCY, async (p) => {
    const text = await files.read(p).catch(() => null);
    if (text !== null && !hasProxyTimeout(text))
      findings.push({
        code: "proxyNoTimeout",
        severity: "WARNING",
        serviceId: p.serviceId,
        instanceId: p.id,
        hostId: p.hostId,
        params: { service: p.service, instance: where(p) },
        fixable: false,
      });
  });

  findings.push(
    ...placementFindings(rows),
    ...versionSkewFindings(rows.filter((r) => r.software === "REDIS" || r.software === "MEMCACHED" || r.software === "TWEMPROXY")),
  );
  if (!opts.serviceIds) findings.push(...(await unknownListeners(db)));
  return { findings, instances: live.length, services: new Set(rows.map((r) => r.serviceId)).size };
}

/**
 * A claimed port whose instance should not be serving (locked, stopped, catalogued only) but where
 * something answers: a process the catalogue does not know, which a deploy there would collide with.
 */
async function unknownListeners(db: DbTx): Promise<Finding[]> {
  const claims = await db.$queryRaw<{ hostId: number; ip: string; port: number; service: string | null; serviceId: number | null; purpose: string | null }[]>`
    SELECT c."hostId", h."ip", c."port", s."name" AS service, s."id" AS "serviceId", al."purpose"
    FROM "PortClaim" c JOIN "Host" h ON h."id" = c."hostId"
    LEFT JOIN "Instance" i ON i."id" = c."instanceId" LEFT JOIN "Service" s ON s."id" = i."serviceId"
    LEFT JOIN "AllocationItem" a ON a."id" = c."allocationItemId" LEFT JOIN "Allocation" al ON al."id" = a."allocationId"
    WHERE h."status" <> 'OFFLINE' AND (i."id" IS NULL OR i."state" IN ('STOPPED', 'UNKNOWN', 'FAILED'))`;
  const busy = await listenersAt(claims);
  const key = (t: { hostId: number; port: number }) => `${t.hostId}:${t.port}`;
  const byKey = new Map(claims.map((c) => [key(c), c]));
  return busy.map((b) => {
    const c = byKey.get(key(b))!;
    return {
      code: "unknownListener" as const,
      severity: "WARNING" as const,
      serviceId: c.serviceId,
      instanceId: null,
      hostId: c.hostId,
      params: { host: c.ip, port: c.port, claim: c.service ?? c.purpose ?? "-" },
      fixable: false,
    };
  });
}

/** Runs an inspection and keeps it: the run row first (the page shows it running), the findings at the end. */
export async function runInspection(db: Db, opts: { trigger: "DAILY" | "MANUAL"; byId?: number | null; concurrency?: number; runId?: number }) {
  const run = opts.runId
    ? await db.inspectionRun.findUniqueOrThrow({ where: { id: opts.runId } })
    : await db.inspectionRun.create({ data: { trigger: opts.trigger, byId: opts.byId ?? null } });
  try {
    const r = await inspectFleet(db, { concurrency: opts.concurrency });
    const counts = countBySeverity(r.findings);
    await db.$transaction(async (tx) => {
      await tx.inspectionFinding.createMany({ data: r.findings.map((f) => ({ ...f, runId: run.id })) });
      await tx.inspectionRun.update({ where: { id: run.id }, data: { finishedAt: new Date(), instances: r.instances, services: r.services, counts } });
    });
    return { id: run.id, counts, instances: r.instances, services: r.services, findings: r.findings.length };
  } catch (e) {
    await db.inspectionRun.update({ where: { id: run.id }, data: { finishedAt: new Date(), error: (e as Error).message.slice(0, 1000) } });
    throw e;
  }
}
