import { joinTexts, text } from "../../../../lib/text";
import { badInput } from "../../errors";
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
      name: text("jobs.steps.sendTraffic"),
      run: async (ctx) => {
        const { serviceId, ...settings } = ctx.input;
        const service = await ctx.db.service.findUniqueOrThrow({
          where: { id: serviceId },
          select: { name: true, kind: true, entryHost: true, entryPort: true },
        });
        // Checked again here: the entry point may have changed since the request was accepted.
        const problems = trafficProblems(settings, { host: service.entryHost, port: service.entryPort });
        if (problems.length) throw badInput(joinTexts(problems));
        const target = `${service.entryHost}:${service.entryPort}`;
        const memcached = MEMCACHED_KINDS.includes(service.kind);
        await ctx.log.info(
          text("jobs.log.traffic.start", {
            rate: settings.ratePerSec,
            seconds: settings.durationSec,
            service: service.name,
            target,
            protocol: memcached ? "memcached" : "redis",
            readPct: Math.round(settings.readRatio * 100),
          }),
        );
        const client = memcached
          ? await memcachedLoadClient(service.entryHost!, service.entryPort!)
          : await redisLoadClient({ ip: service.entryHost!, port: service.entryPort!, auth: await appAuth(ctx.db, serviceId) });
        try {
          const r = await generateTraffic(client, settings, {
            shouldStop: () => stopRequested(ctx.db, ctx.jobId),
            onProgress: (p) =>
              ctx.log.info(
                text("jobs.log.traffic.progress", { seconds: Math.round(p.elapsedMs / 1000), sent: p.sent, reads: p.reads, writes: p.writes, ok: p.ok }),
              ),
          });
          const rate = Math.round(r.sent / Math.max(1, r.elapsedMs / 1000));
          const counts = { seconds: Math.round(r.elapsedMs / 1000), sent: r.sent, reads: r.reads, writes: r.writes, ok: r.ok, rate };
          await ctx.log.info(text(r.stopped ? "jobs.log.traffic.stopped" : "jobs.log.traffic.done", counts));
          if (r.sent > 0 && r.ok === 0) throw new Error(`${target} answered none of ${r.sent} operations`);
        } finally {
          client.close();
        }
      },
    },
  ],
};
