import { joinTexts, text } from "../../../../lib/text";
import type { Db, DbTx } from "../../../db/client";
import { createJob } from "../../../jobs/queue";
import type { Actor } from "../../access/actor";
import { recordAudit } from "../../audit/record";
import { badInput, conflict, notFound, precondition } from "../../errors";
import type { Dispatcher } from "../../requests/requests";
import { trafficProblems, type TrafficSettings } from "./limits";
import { TRAFFIC_JOB_KIND, type TrafficInput } from "./job";

/**
 * Starting and stopping demo traffic. The job does not carry Job.serviceId: that column makes
 * instance operations wait for the service's running jobs, and a DBA must be able to stop an
 * instance while traffic flows (that is what the demo shows). The service is in the job's input.
 */

const ofService = (serviceId: number) => ({ kind: TRAFFIC_JOB_KIND, input: { path: ["serviceId"], equals: serviceId } });

export async function startTraffic(db: Db, actor: Actor, input: TrafficInput, dispatch: Dispatcher) {
  const service = await db.service.findUnique({
    where: { id: input.serviceId },
    select: { id: true, name: true, status: true, entryHost: true, entryPort: true },
  });
  if (!service) throw notFound(text("errors.domain.notFound.service", { id: input.serviceId }));
  const settings: TrafficSettings = { ratePerSec: input.ratePerSec, durationSec: input.durationSec, readRatio: input.readRatio };
  const problems = trafficProblems(settings, { host: service.entryHost, port: service.entryPort });
  if (problems.length) throw badInput(joinTexts(problems));
  if (service.status !== "ONLINE") throw precondition(text("errors.domain.traffic.notOnline", { service: service.name, status: service.status.toLowerCase() }));
  const job = await db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT "id" FROM "Service" WHERE "id" = ${service.id} FOR UPDATE`;
    const busy = await tx.job.findFirst({ where: { ...ofService(service.id), status: { in: ["QUEUED", "RUNNING"] } } });
    if (busy) throw conflict(text("errors.domain.traffic.busy", { job: busy.id.slice(0, 8), status: busy.status.toLowerCase(), service: service.name }));
    const created = await createJob(tx, { kind: TRAFFIC_JOB_KIND, input: { serviceId: service.id, ...settings }, createdById: actor.id });
    await recordAudit(tx, actor, {
      action: TRAFFIC_JOB_KIND,
      entityType: "Service",
      entityId: service.id,
      summary: `demo traffic to ${service.name} at ${service.entryHost}:${service.entryPort}: ${settings.ratePerSec} ops/s for ${settings.durationSec} s, ${Math.round(settings.readRatio * 100)}% reads (job ${created.id.slice(0, 8)})`,
      after: { jobId: created.id, ...settings },
    });
    return created;
  });
  await dispatch(job.id);
  return job;
}

export async function stopTraffic(db: Db, actor: Actor, jobId: string) {
  const job = await db.job.findUnique({ where: { id: jobId } });
  if (!job || job.kind !== TRAFFIC_JOB_KIND) throw notFound(text("errors.domain.notFound.trafficJob", { id: jobId }));
  if (job.status !== "QUEUED" && job.status !== "RUNNING")
    throw precondition(text("errors.domain.traffic.over", { job: jobId.slice(0, 8), finished: job.status === "SUCCEEDED" ? "yes" : "no" }));
  await db.$transaction(async (tx) => {
    // A JSON merge in SQL: the running job saves nothing else, so nothing overwrites the flag.
    await tx.$executeRaw`UPDATE "Job" SET "state" = "state" || '{"stopRequested": true}'::jsonb WHERE "id" = ${jobId}`;
    await recordAudit(tx, actor, {
      action: `${TRAFFIC_JOB_KIND}.stop`,
      entityType: "Job",
      entityId: jobId,
      summary: `stop demo traffic (job ${jobId.slice(0, 8)})`,
    });
  });
  return { jobId, stopRequested: true };
}

/** The service's demo traffic runs, newest first, with their log. */
export async function listTraffic(db: DbTx, serviceId: number) {
  const jobs = await db.job.findMany({
    where: ofService(serviceId),
    orderBy: { createdAt: "desc" },
    take: 5,
    include: { createdBy: { select: { username: true } }, logs: { orderBy: { id: "desc" }, take: 20 } },
  });
  return jobs.map((j) => ({
    id: j.id,
    status: j.status,
    input: j.input as TrafficInput,
    stopRequested: !!(j.state as { stopRequested?: boolean }).stopRequested,
    createdBy: j.createdBy?.username ?? null,
    createdAt: j.createdAt,
    finishedAt: j.finishedAt,
    error: j.error,
    errorText: j.errorText,
    logs: j.logs.reverse().map((l) => ({ id: l.id.toString(), at: l.at, level: l.level, message: l.message, text: l.text })),
  }));
}
