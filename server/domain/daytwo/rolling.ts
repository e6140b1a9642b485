import type { Db } from "../../db/client";
import type { JobLogger } from "../../jobs/steps";
import { withProxyDrained } from "../lb/drain";
import { startTarget, stopTarget } from "../operations/daemon";
import { loadTarget } from "../operations/target";
import { writeRendered } from "./rendered";

/**
 * Restarts one instance from freshly rendered files (a redeploy of that instance): a Twemproxy is
 * first drained from every VIP in front of it, so clients of the VIP go to its other proxies
 * meanwhile. What the DBA asked for (RUNNING) stays: a restart is not a stop.
 */
export async function redeployOne(db: Db, log: JobLogger, instanceId: number): Promise<void> {
  const inst = await db.instance.findUniqueOrThrow({ where: { id: instanceId } });
  await writeRendered(db, inst.serviceId, { instanceIds: [instanceId] });
  const t = await loadTarget(db, instanceId);
  const restart = async () => {
    await stopTarget(db, log, t, { keepDesired: true });
    await startTarget(db, log, t);
  };
  if (t.software === "TWEMPROXY") await withProxyDrained(db, { ip: t.ip, port: t.port }, log, restart);
  else await restart();
}
