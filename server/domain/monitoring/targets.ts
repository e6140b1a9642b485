import type { DbTx } from "../../db/client";
import { STATS_PORT_OFFSET } from "../provisioning/deploy/commands";
import type { PollTarget } from "./poll";
import { authByService } from "../credentials/store";

/** Instance states the collector polls and the health rules judge; UNKNOWN is catalogued only, DEPLOYING not handed over yet. */
export const MONITORED_STATES = new Set(["RUNNING", "STOPPED", "FAILED"] as const);

/**
 * What the collector polls: the deployed instances (RUNNING, and STOPPED or FAILED too: a stopped
 * instance of an online service is an outage the board must show) of Redis, Memcached and
 * Twemproxy, and their Sentinels (whether they answer, which masters they see, whether their quorum
 * holds), in services not decommissioned. Catalogued instances (state UNKNOWN) are not polled.
 */
export async function pollTargets(db: DbTx): Promise<PollTarget[]> {
  const rows = await db.instance.findMany({
    where: {
      state: { in: [...MONITORED_STATES] },
      software: { in: ["REDIS", "MEMCACHED", "TWEMPROXY", "REDIS_SENTINEL"] },
      service: { status: { not: "DECOMMISSIONED" } },
    },
    select: { id: true, serviceId: true, port: true, software: true, host: { select: { ip: true } } },
    orderBy: { id: "asc" },
  });
  const auth = await authByService(
    db,
    [...new Set(rows.filter((r) => r.software === "REDIS" || r.software === "REDIS_SENTINEL").map((r) => r.serviceId))],
    "OPS",
  );
  return rows.map((r) => ({
    instanceId: r.id,
    serviceId: r.serviceId,
    software: r.software as PollTarget["software"],
    ip: r.host.ip,
    port: r.port,
    statsPort: r.software === "TWEMPROXY" ? r.port + STATS_PORT_OFFSET : null,
    auth: r.software === "REDIS" || r.software === "REDIS_SENTINEL" ? (auth.get(r.serviceId) ?? null) : null,
  }));
}
