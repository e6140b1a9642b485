import { text } from "../../../lib/text";
import type { DbTx } from "../../db/client";
import type { JobLogger } from "../../jobs/steps";
import { monitoredName, writeReplicaof } from "../operations/failover";
import type { Target } from "../operations/target";
import { sentinelMaster } from "../provisioning/deploy/probes";

/**
 * Before Hedwig starts a Redis that Sentinels watch: when they name another instance as its shard's
 * master, its redis.conf first says `replicaof` that master. An old master killed before Sentinel
 * could rewrite its config would otherwise come back as a second master (empty, without
 * persistence) for the seconds until Sentinel converts it. The Sentinels' answer, not the
 * catalogue's, decides: they are what clients and proxies follow.
 */
export async function rejoinSentinelsMaster(db: DbTx, log: JobLogger, t: Target): Promise<void> {
  if (t.software !== "REDIS") return;
  const sentinels = await db.instance.findMany({
    where: { serviceId: t.inst.serviceId, role: "SENTINEL" },
    select: { port: true, host: { select: { ip: true } } },
  });
  if (sentinels.length === 0) return;
  const name = await monitoredName(db, t);
  const answers = await Promise.all(sentinels.map((s) => sentinelMaster({ ip: s.host.ip, port: s.port, auth: t.auth }, name).catch(() => null)));
  const votes = new Map<string, number>();
  for (const a of answers) if (a) votes.set(a, (votes.get(a) ?? 0) + 1);
  const [master] = [...votes.entries()].sort((a, b) => b[1] - a[1])[0] ?? [];
  if (!master) {
    await log.warn(text("jobs.log.rejoin.noSentinel", { name, label: t.label }));
    return;
  }
  if (master === t.address) return;
  const [ip, port] = master.split(":");
  const line = await writeReplicaof(t, { ip: ip!, port: Number(port) });
  await log.info(text("jobs.log.rejoin.asReplica", { master, name, label: t.label, line }));
}
