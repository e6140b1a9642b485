import { text } from "../../../lib/text";
import { errorText } from "../errors";
import type { Db } from "../../db/client";
import type { JobLogger } from "../../jobs/steps";
import { startTarget } from "./daemon";
import { loadTarget } from "./target";

/**
 * The embedded default runs instances on this machine, and they end with it. On start, the
 * instances Hedwig deployed on LOCAL hosts and last knew RUNNING are started again from their
 * files, so the console does not wake up to a fleet that is down only because the machine restarted.
 */
export async function resumeLocalInstances(db: Db, log: JobLogger): Promise<{ started: number; failed: number }> {
  const instances = await db.instance.findMany({
    where: { state: "RUNNING", host: { executor: "LOCAL" }, service: { isDemo: false, adopted: false } },
    // data first, then the Sentinels and proxies that point at it
    orderBy: [{ role: "asc" }, { id: "asc" }],
    select: { id: true },
  });
  let started = 0;
  let failed = 0;
  for (const { id } of instances) {
    const t = await loadTarget(db, id);
    if (await t.exec.isListening(t.ip, t.port, 0)) continue;
    try {
      await startTarget(db, log, t);
      started++;
    } catch (e) {
      failed++;
      await log.warn(text("jobs.log.daemon.couldNotStart", { label: t.label, why: errorText(e) }));
    }
  }
  return { started, failed };
}
