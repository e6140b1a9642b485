import { createDb, type Db } from "../server/db/client";
import { opsAuth } from "../server/domain/credentials/store";
import { authOptions } from "../server/domain/provisioning/deploy/probes";

/** The e2e server's database, for waiting on what the worker and the collector do (never to fake it). */
export function e2eDb(): Db {
  return createDb(`postgresql://hedwig:hedwig@127.0.0.1:${process.env.E2E_PG_PORT ?? 31330}/hedwig`, 2);
}

export type LiveService = { id: number; name: string; line: string };

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | null | undefined | false>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await probe();
    if (got) return got;
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/**
 * The three live demo services the server requested at start (Sentinel for trade-cart, Twemproxy for
 * trade-order, Memcached for trade-refund), once the worker has delivered them and the collector and
 * health rules have seen them GREEN.
 */
export async function liveServices(db: Db): Promise<Record<"cart" | "order" | "refund", LiveService>> {
  const find = (code: string) =>
    until(`the live ${code} service to be delivered and green`, 150_000, async () => {
      const s = await db.service.findFirst({
        where: { isDemo: false, productLine: { code }, request: { purpose: { startsWith: "live demo" } } },
        include: { health: true, productLine: true },
      });
      return s?.health?.level === "GREEN" ? { id: s.id, name: s.name, line: s.productLine.code } : null;
    });
  const [cart, order, refund] = await Promise.all([find("trade-cart"), find("trade-order"), find("trade-refund")]);
  return { cart, order, refund };
}

/**
 * Hedwig's own login on a live service's Redis (its operations user), opened with the e2e server's
 * sealing key: the server keeps it in its data directory, .data/e2e.
 */
export async function opsLogin(db: Db, serviceId: number) {
  process.env.HEDWIG_DATA_DIR ??= ".data/e2e";
  return authOptions(await opsAuth(db, serviceId));
}

export { until };
