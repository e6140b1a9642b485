import type { DbTx } from "../../db/client";
import { STATS_PORT_OFFSET } from "../provisioning/deploy/commands";
import { badInput, conflict } from "../errors";

const toInt = (ip: string) => ip.split(".").reduce((n, o) => n * 256 + Number(o), 0);

/** Whether `ip` lies in a "first-last" range such as 127.0.2.10-127.0.2.250 (several ranges comma-separated). Pure. */
export function inVipRanges(ranges: string, ip: string): boolean {
  const n = toInt(ip);
  return ranges.split(",").some((r) => {
    const [first, last] = r.split("-").map((s) => s.trim());
    if (!first) return false;
    return n >= toInt(first) && n <= toInt(last ?? first);
  });
}

/** Ports Hedwig itself listens on, on every address of its machine: the web server and its PostgreSQL. */
export function hedwigPorts(env: Record<string, string | undefined> = process.env): { port: number; what: string }[] {
  const out = [{ port: Number(env.PORT ?? 3000), what: "Hedwig's web server" }];
  try {
    const db = env.DATABASE_URL ? new URL(env.DATABASE_URL) : null;
    if (db) out.push({ port: Number(db.port || 5432), what: "Hedwig's PostgreSQL" });
  } catch {
    // an unparsable DATABASE_URL fails elsewhere, loudly
  }
  return out.filter((p) => Number.isInteger(p.port) && p.port > 0);
}

/**
 * A VIP must lie in its pool's VIP ranges and must not take an address:port a listener Hedwig
 * knows already holds: an instance or a Twemproxy's stats port on that address, a pool's runtime
 * API, Hedwig's own ports. Checked before anything is written (HAProxy would only fail at reload).
 */
export async function assertVipPlaceable(
  tx: DbTx,
  pool: { name: string; vipRange: string | null },
  vip: { ip: string; port: number; protocol: string },
): Promise<void> {
  if (!pool.vipRange) {
    throw badInput(
      `pool ${pool.name} has no VIP range, so no VIP can be checked against it: add the pool's VIP range first (Libra → ${pool.name} → VIP range)`,
    );
  }
  if (!inVipRanges(pool.vipRange, vip.ip)) {
    throw badInput(`VIP ${vip.ip} is outside pool ${pool.name}'s VIP range ${pool.vipRange}: pick an address in it`);
  }
  if (vip.protocol !== "TCP") return;
  const instances = await tx.$queryRaw<{ id: number; port: number; software: string }[]>`
    SELECT i."id", i."port", i."software"::text AS software FROM "Instance" i JOIN "Host" h ON h."id" = i."hostId"
    WHERE h."ip" = ${vip.ip} AND (i."port" = ${vip.port} OR (i."software" = 'TWEMPROXY' AND i."port" + ${STATS_PORT_OFFSET} = ${vip.port}))
    LIMIT 1`;
  const taken = instances[0];
  if (taken) {
    const what = taken.port === vip.port ? `instance ${taken.id} (${taken.software.toLowerCase()})` : `the stats port of Twemproxy instance ${taken.id}`;
    throw conflict(`${vip.ip}:${vip.port} is already held by ${what}: pick another address or port`);
  }
  const runtime = await tx.lbServer.findFirst({ where: { ip: vip.ip, pool: { statsPort: vip.port } }, select: { pool: { select: { name: true } } } });
  if (runtime) throw conflict(`${vip.ip}:${vip.port} is the runtime API of pool ${runtime.pool.name}: pick another port`);
  const own = hedwigPorts().find((p) => p.port === vip.port);
  if (own) throw conflict(`port ${vip.port} is ${own.what} on this machine: pick another port`);
}
