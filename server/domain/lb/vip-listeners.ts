import { text } from "../../../lib/text";
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
export function hedwigPorts(env: Record<string, string | undefined> = process.env): { port: number; what: "web" | "postgres" }[] {
  const out: { port: number; what: "web" | "postgres" }[] = [{ port: Number(env.PORT ?? 3000), what: "web" }];
  try {
    const db = env.DATABASE_URL ? new URL(env.DATABASE_URL) : null;
    if (db) out.push({ port: Number(db.port || 5432), what: "postgres" });
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
    throw badInput(text("refusals.libra.noVipRange", { pool: pool.name }));
  }
  if (!inVipRanges(pool.vipRange, vip.ip)) {
    throw badInput(text("refusals.libra.vipOutside", { vip: vip.ip, pool: pool.name, range: pool.vipRange }));
  }
  if (vip.protocol !== "TCP") return;
  const instances = await tx.$queryRaw<{ id: number; port: number; software: string }[]>`
    SELECT i."id", i."port", i."software"::text AS software FROM "Instance" i JOIN "Host" h ON h."id" = i."hostId"
    WHERE h."ip" = ${vip.ip} AND (i."port" = ${vip.port} OR (i."software" = 'TWEMPROXY' AND i."port" + ${STATS_PORT_OFFSET} = ${vip.port}))
    LIMIT 1`;
  const taken = instances[0];
  if (taken) {
    const what = taken.port === vip.port ? "instance" : "stats";
    throw conflict(text("refusals.libra.vipHeld", { address: `${vip.ip}:${vip.port}`, what, id: taken.id, software: taken.software.toLowerCase() }));
  }
  const runtime = await tx.lbServer.findFirst({ where: { ip: vip.ip, pool: { statsPort: vip.port } }, select: { pool: { select: { name: true } } } });
  if (runtime) throw conflict(text("refusals.libra.vipRuntime", { address: `${vip.ip}:${vip.port}`, pool: runtime.pool.name }));
  const own = hedwigPorts().find((p) => p.port === vip.port);
  if (own) throw conflict(text("refusals.libra.vipHedwig", { port: vip.port, what: own.what }));
}
