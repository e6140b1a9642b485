import type { Db } from "../../../db/client";
import type { JobDefinition } from "../../../jobs/steps";
import { memcachedLoadClient, redisLoadClient } from "./clients";
import { appAuth } from "../../credentials/store";
import { generateTraffic } from "./generator";
import { trafficProblems, type TrafficSettings } from "./limits";

export const TRAFFIC_JOB_KIND = "monitoring.traffic";

export type TrafficInput = TrafficSettings & { serviceId: number };
/** stopRequested is set by the stop action (a JSON merge on the row), read here every second. */
type TrafficState = { stopRequested?: boolean };

const MEMCACHED_KINDS = ["MEMCACHED", "MEMCACHED_TWEMPROXY"];

export async function stopRequested(db: Db, jobId: string): Promise<boolean> {
  const job = await db.job.findUnique({ where: { id: jobId }, select: { state: true } });
  return !!(job?.state as TrafficState | null)?.stopRequested;
}

export const trafficJob: JobDefinition<TrafficInput, TrafficState> = {
  kind: TRAFFIC_JOB_KIND,
  steps: [
    {
      name: "Send demo traffic",
      run: async (ctx) => {
        const { serviceId, ...settings } = ctx.input;
        const service = await ctx.db.service.findUniqueOrThrow({
          where: { id: serviceId },
          select: { name: true, kind: true, entryHost: true, entryPort: true },
        });
        // Checked again here: the entry point may have changed since the request was accepted.
        const problems = trafficProblems(settings, { host: service.entryHost, port: service.entryPort });
        if (problems.length) throw new Error(problems.join("; "));
        const target = `${service.entryHost}:${service.entryPort}`;
        const memcached = MEMCACHED_KINDS.includes(service.kind);
        await ctx.log.info(
          `${settings.ratePerSec} ops/s for ${settings.durationSec} s to ${service.name} at ${target} (${memcached ? "memcached" : "redis"} protocol), ${Math.round(settings.readRatio * 100)}% reads, keys hedwig:demo:*`,
        );
        const client = memcached
          ? await memcachedLoadClient(service.entryHost!, service.entryPort!)
          : await redisLoadClient({ ip: service.entryHost!, port: service.entryPort!, auth: await appAuth(ctx.db, serviceId) });
        try {
          const r = await generateTraffic(client, settings, {
            shouldStop: () => stopRequested(ctx.db, ctx.jobId),
            onProgress: (p) => ctx.log.info(`${Math.round(p.elapsedMs / 1000)} s: ${p.sent} sent (${p.reads} reads, ${p.writes} writes), ${p.ok} answered`),
          });
          const rate = Math.round(r.sent / Math.max(1, r.elapsedMs / 1000));
          await ctx.log.info(
            `${r.stopped ? "stopped on request" : "done"} after ${Math.round(r.elapsedMs / 1000)} s: ${r.sent} sent (${r.reads} reads, ${r.writes} writes), ${r.ok} answered, ${rate} ops/s`,
          );
          if (r.sent > 0 && r.ok === 0) throw new Error(`${target} answered none of ${r.sent} operations`);
        } finally {
          client.close();
        }
      },
    },
  ],
};
