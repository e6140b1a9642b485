import type { DbTx } from "../../db/client";
import type { RedisAuth } from "../credentials/model";
import { authByService } from "../credentials/store";
import { MONITORED_STATES } from "../monitoring/targets";
import { tcpRead } from "../monitoring/tcp-read";
import { canaryKeys, probeMemcached, probeRedis, type Protocol } from "./canary-probe";

type Kind = "REDIS_STANDALONE" | "REDIS_SENTINEL" | "REDIS_TWEMPROXY" | "MEMCACHED" | "MEMCACHED_TWEMPROXY";
export interface CanaryService {
  id: number;
  kind: Kind;
  entryHost: string | null;
  entryPort: number | null;
  instances: { ip: string; port: number; role: string; shardIndex: number | null }[];
  /** the canary's login: the application's behind Twemproxy (the only one a proxy takes), else Hedwig's own */
  auth: RedisAuth | null;
}
export interface CanaryPlan {
  via: "VIP" | "PROXY" | "MASTER" | "NODES";
  protocol: Protocol;
  targets: { ip: string; port: number }[];
  keysPerTarget: number;
}

/**
 * Where a client reaches the service, and so where the canary goes: the VIP where there is one, else
 * a proxy (behind Twemproxy, several keys so that every shard is likely hit and a lost shard shows as
 * a share of failed keys); else each master (Sentinel and standalone); Memcached without a proxy:
 * each node, as clients hash over them. null when there is nothing to probe.
 */
export function canaryPlan(s: Omit<CanaryService, "auth">): CanaryPlan | null {
  const proxies = s.instances.filter((i) => i.role === "PROXY");
  const protocol: Protocol = s.kind === "MEMCACHED" || s.kind === "MEMCACHED_TWEMPROXY" ? "MEMCACHED" : "REDIS";
  if (s.kind === "REDIS_TWEMPROXY" || s.kind === "MEMCACHED_TWEMPROXY") {
    const shards = new Set(s.instances.filter((i) => i.role !== "PROXY" && i.role !== "SENTINEL").map((i) => i.shardIndex ?? 0)).size;
    const keysPerTarget = Math.min(64, Math.max(8, 4 * shards));
    if (s.entryHost && s.entryPort) {
      const isProxy = proxies.some((p) => p.ip === s.entryHost && p.port === s.entryPort);
      return { via: isProxy ? "PROXY" : "VIP", protocol, targets: [{ ip: s.entryHost, port: s.entryPort }], keysPerTarget };
    }
    return proxies.length ? { via: "PROXY", protocol, targets: [{ ip: proxies[0]!.ip, port: proxies[0]!.port }], keysPerTarget } : null;
  }
  const heads = s.instances.filter((i) => i.role === (protocol === "MEMCACHED" ? "CACHE" : "MASTER"));
  return heads.length
    ? { via: protocol === "MEMCACHED" ? "NODES" : "MASTER", protocol, targets: heads.map((h) => ({ ip: h.ip, port: h.port })), keysPerTarget: 1 }
    : null;
}

export interface CanaryOutcome {
  serviceId: number;
  ok: boolean;
  entry: string;
  via: string;
  keys: number;
  failed: number;
  latencyMs: number;
  error: string | null;
  sentinelsUp: number | null;
  sentinelsTotal: number | null;
}

/** A Sentinel answers when it replies to PING at all (a NOAUTH is an answer: the process serves). */
async function sentinelAnswers(ip: string, port: number, timeoutMs: number): Promise<boolean> {
  return tcpRead(ip, port, timeoutMs, "PING\r\n", (s) => s.includes("\r\n")).then(
    (s) => /^[+-]/.test(s),
    () => false,
  );
}

/** Runs one service's canary over its plan, and asks its Sentinels whether they answer. */
export async function runCanary(
  serviceId: number,
  plan: CanaryPlan,
  timeoutMs: number,
  sentinels: { ip: string; port: number }[] = [],
  auth: RedisAuth | null = null,
): Promise<CanaryOutcome> {
  const watching = Promise.all(sentinels.map((x) => sentinelAnswers(x.ip, x.port, timeoutMs)));
  const results = await Promise.all(
    plan.targets.map((t, k) => {
      const keys = canaryKeys(serviceId, plan.keysPerTarget).map((key) => (plan.targets.length > 1 ? `${key}:${k}` : key));
      return plan.protocol === "REDIS" ? probeRedis({ ...t, auth }, keys, timeoutMs) : probeMemcached(t.ip, t.port, keys, timeoutMs);
    }),
  );
  const keys = results.reduce((n, r) => n + r.keys, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  const addrs = plan.targets.map((t) => `${t.ip}:${t.port}`);
  const badTarget = results.findIndex((r) => r.failed > 0);
  return {
    serviceId,
    ok: failed === 0,
    entry: addrs.length > 3 ? `${addrs.slice(0, 3).join(", ")} +${addrs.length - 3}` : addrs.join(", "),
    via: plan.via,
    keys,
    failed,
    latencyMs: Math.max(...results.map((r) => r.latencyMs)),
    error: badTarget >= 0 ? `${addrs[badTarget]}: ${results[badTarget]!.error}` : null,
    sentinelsUp: sentinels.length ? (await watching).filter(Boolean).length : null,
    sentinelsTotal: sentinels.length || null,
  };
}

/** The services that have a canary: deployed (instances Hedwig runs), not decommissioned. */
export async function canaryServices(db: DbTx): Promise<CanaryService[]> {
  const rows = await db.service.findMany({
    where: { status: { notIn: ["DECOMMISSIONED", "PROVISIONING"] }, instances: { some: { state: { in: [...MONITORED_STATES] } } } },
    select: {
      id: true,
      kind: true,
      entryHost: true,
      entryPort: true,
      instances: { where: { state: { in: [...MONITORED_STATES] } }, select: { port: true, role: true, shardIndex: true, host: { select: { ip: true } } } },
    },
  });
  const ids = rows.map((r) => r.id);
  const [ops, app] = await Promise.all([authByService(db, ids, "OPS"), authByService(db, ids, "APP")]);
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    auth: (r.kind === "REDIS_TWEMPROXY" ? app.get(r.id) : ops.get(r.id)) ?? null,
    entryHost: r.entryHost,
    entryPort: r.entryPort,
    instances: r.instances.map((i) => ({ ip: i.host.ip, port: i.port, role: i.role, shardIndex: i.shardIndex })),
  }));
}

/**
 * Probes every service's entry point once (32 at a time) and stores the latest result per service
 * and the minute's count of probes and failures (availability over 30 days reads those).
 */
export async function runCanaries(db: DbTx, at: Date, timeoutMs = 1500): Promise<CanaryOutcome[]> {
  const services = await canaryServices(db);
  const queue = services.map((s) => ({ s, plan: canaryPlan(s) })).filter((x) => x.plan);
  const out: CanaryOutcome[] = [];
  await Promise.all(
    Array.from({ length: Math.min(32, queue.length) }, async () => {
      for (let x = queue.shift(); x; x = queue.shift())
        out.push(
          await runCanary(
            x.s.id,
            x.plan!,
            timeoutMs,
            x.s.instances.filter((i) => i.role === "SENTINEL"),
            x.s.auth,
          ),
        );
    }),
  );
  await storeCanaries(db, at, out);
  return out;
}

export async function storeCanaries(db: DbTx, at: Date, out: CanaryOutcome[]) {
  if (out.length === 0) return;
  const rows = JSON.stringify(out);
  await db.$executeRawUnsafe(
    `INSERT INTO "ServiceCanary" ("serviceId", "at", "ok", "entry", "via", "keys", "failed", "latencyMs", "error", "failingSince", "sentinelsUp", "sentinelsTotal")
     SELECT x."serviceId", $2::timestamptz AT TIME ZONE 'UTC', x."ok", x."entry", x."via", x."keys", x."failed", x."latencyMs", x."error",
            CASE WHEN x."ok" THEN NULL ELSE $2::timestamptz AT TIME ZONE 'UTC' END, x."sentinelsUp", x."sentinelsTotal"
     FROM jsonb_to_recordset($1::jsonb) AS x("serviceId" int, "ok" boolean, "entry" text, "via" text, "keys" int, "failed" int, "latencyMs" float8, "error" text, "sentinelsUp" int, "sentinelsTotal" int)
     ON CONFLICT ("serviceId") DO UPDATE SET "at" = excluded."at", "ok" = excluded."ok", "entry" = excluded."entry", "via" = excluded."via", "keys" = excluded."keys",
       "failed" = excluded."failed", "latencyMs" = excluded."latencyMs", "error" = excluded."error", "sentinelsUp" = excluded."sentinelsUp", "sentinelsTotal" = excluded."sentinelsTotal",
       "failingSince" = CASE WHEN excluded."ok" THEN NULL ELSE coalesce("ServiceCanary"."failingSince", excluded."failingSince") END`,
    rows,
    at.toISOString(),
  );
  await db.$executeRawUnsafe(
    `INSERT INTO "CanaryMinute" ("serviceId", "minute", "probes", "failures")
     SELECT x."serviceId", date_trunc('minute', $2::timestamptz AT TIME ZONE 'UTC'), 1, CASE WHEN x."ok" THEN 0 ELSE 1 END
     FROM jsonb_to_recordset($1::jsonb) AS x("serviceId" int, "ok" boolean)
     ON CONFLICT ("serviceId", "minute") DO UPDATE SET "probes" = "CanaryMinute"."probes" + 1, "failures" = "CanaryMinute"."failures" + excluded."failures"`,
    rows,
    at.toISOString(),
  );
}
