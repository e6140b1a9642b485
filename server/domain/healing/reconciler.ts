import { text } from "../../../lib/text";
import { scheduleBackups } from "../backups/schedule";
import { purgeRetiredData } from "../decommission/job";
import type { Db } from "../../db/client";
import { log as rootLog } from "../../log";
import { holdJob } from "../../jobs/ownership";
import { DomainError } from "../errors";
import { isListening } from "../executors/tcp";
import { probeHost } from "../monitoring/host-probe";
import { submitOperation } from "../operations/submit";
import { holdInstance } from "./escalation";
import { keepLoadBalancers } from "./lb-keeper";
import { decide, type Decision } from "./restart-policy";
import { loadReconcilerSettings } from "./settings";

/**
 * The reconciler: desired state (Instance.state RUNNING, not in maintenance) against what answers.
 * A process that should run, does not answer, and whose host answers is started again as an
 * automatic, audited job of the ordinary kind (`instance.start`), a few times an hour at most;
 * past that it is left down, held, and escalated to the DBAs. Load-balancer servers likewise
 * (lb-keeper.ts). One worker reconciles at a time (an advisory lock), every `checkSeconds`.
 */

export type Dispatch = (jobId: string) => Promise<void>;
export type Log = (line: string) => void;

const HOUR_MS = 3_600_000;
/** a refused connection is retried for this long before the process counts as down: a start in progress is not a death */
const PROBE_MS = 1000;
const PROBES_AT_ONCE = 64;

export interface InstanceRound {
  checked: number;
  down: number;
  restarted: { instanceId: number; jobId: string }[];
  escalated: number[];
  released: number[];
  left: { instanceId: number; why: string }[];
}

/** Runs fn over items with at most `limit` in flight. */
export async function inParallel<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const k = next++;
        out[k] = await fn(items[k]!);
      }
    }),
  );
  return out;
}

/** Instances that should be running now: desired RUNNING, no maintenance window open, in a service Hedwig laid out and still runs. */
function desiredRunning(db: Db, now: Date) {
  return db.instance.findMany({
    where: {
      state: "RUNNING",
      OR: [{ maintenanceUntil: null }, { maintenanceUntil: { lte: now } }],
      service: { isDemo: false, adopted: false, status: { not: "DECOMMISSIONED" } },
    },
    select: {
      id: true,
      port: true,
      software: true,
      role: true,
      serviceId: true,
      host: { select: { id: true, ip: true, executor: true } },
      service: { select: { name: true } },
      restartHold: { select: { instanceId: true } },
      _count: { select: { replicas: true } },
    },
    orderBy: { id: "asc" },
  });
}

/** Automatic restarts per instance within the last hour (the jobs are the record). */
async function restartsLastHour(db: Db, serviceIds: number[], now: Date): Promise<Map<number, number>> {
  const jobs = await db.job.findMany({
    where: { automatic: true, kind: "instance.start", serviceId: { in: serviceIds }, createdAt: { gt: new Date(now.getTime() - HOUR_MS) } },
    select: { input: true },
  });
  const count = new Map<number, number>();
  for (const j of jobs) {
    const id = (j.input as { instanceId?: number }).instanceId;
    if (typeof id === "number") count.set(id, (count.get(id) ?? 0) + 1);
  }
  return count;
}

/** One round over the instances. */
export async function reconcileInstances(db: Db, dispatch: Dispatch, now = new Date(), log: Log = () => {}): Promise<InstanceRound> {
  const settings = await loadReconcilerSettings(db);
  const candidates = await desiredRunning(db, now);
  const answering = await inParallel(candidates, PROBES_AT_ONCE, (i) => isListening(i.host.ip, i.port, PROBE_MS));
  const round: InstanceRound = { checked: candidates.length, down: 0, restarted: [], escalated: [], released: [], left: [] };

  const down = candidates.filter((_, k) => !answering[k]);
  round.down = down.length;
  const serviceIds = [...new Set(down.map((i) => i.serviceId))];
  const [restarts, busyJobs] = await Promise.all([
    restartsLastHour(db, serviceIds, now),
    db.job.findMany({ where: { serviceId: { in: serviceIds }, status: { in: ["QUEUED", "RUNNING"] } }, select: { serviceId: true } }),
  ]);
  const busy = new Set(busyJobs.map((j) => j.serviceId));
  const hostUp = new Map<number, Promise<boolean>>();
  const reachable = (h: { id: number; ip: string; executor: "LOCAL" | "SSH" }) => {
    if (!hostUp.has(h.id))
      hostUp.set(
        h.id,
        probeHost(h, PROBE_MS).then((r) => r.reachable),
      );
    return hostUp.get(h.id)!;
  };

  for (const [k, i] of candidates.entries()) {
    const dead = !answering[k];
    const decision: Decision = decide(
      {
        answering: !dead,
        hostReachable: dead ? await reachable(i.host) : null,
        busy: busy.has(i.serviceId),
        restartsLastHour: restarts.get(i.id) ?? 0,
        held: i.restartHold !== null,
        awaitsFailover: i.software === "REDIS" && i.role === "MASTER" && i._count.replicas > 0,
      },
      settings.maxRestartsPerHour,
    );
    const address = `${i.host.ip}:${i.port}`;
    switch (decision.kind) {
      case "none":
        if (decision.why !== "answering") round.left.push({ instanceId: i.id, why: decision.why });
        break;
      case "release":
        await db.restartHold.deleteMany({ where: { instanceId: i.id } });
        round.released.push(i.id);
        log(`${address} of ${i.service.name} answers again: automatic restarts resume`);
        break;
      case "escalate":
        if (await holdInstance(db, i.id, { address, service: i.service.name, restarts: decision.restarts, windowMinutes: 60 }, i.serviceId, now)) {
          round.escalated.push(i.id);
          log(`${address} of ${i.service.name} died again after ${decision.restarts} automatic restarts within the hour: left down, DBAs told`);
        }
        break;
      case "restart":
        try {
          const why = text("auditLog.healing.restartWhy", { ip: i.host.ip, attempt: decision.attempt, max: settings.maxRestartsPerHour });
          const job = await submitOperation(db, null, { kind: "instance.start", instanceId: i.id }, dispatch, { automatic: true, why });
          busy.add(i.serviceId); // one operation per service: its other dead instances wait for the next round
          round.restarted.push({ instanceId: i.id, jobId: job.id });
          log(`${address} of ${i.service.name} does not answer: automatic restart (job ${job.id.slice(0, 8)})`);
        } catch (e) {
          // a DBA's operation got there first, or the instance went away: the next round sees
          if (!(e instanceof DomainError)) throw e;
          round.left.push({ instanceId: i.id, why: e.kind.toLowerCase() });
        }
        break;
    }
  }
  return round;
}

/**
 * Runs the reconciler in this worker process: every `checkSeconds` (re-read each round) the worker
 * holding the reconciler's lock runs a round over instances and load-balancer servers; the others
 * try for the lock each round, so one takes over within a round when the holder dies.
 */
export function startReconciler(db: Db, url: string, dispatch: Dispatch, log: Log = (l) => rootLog.info({ part: "reconciler" }, l)) {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let release: (() => Promise<void>) | null = null;
  let running: Promise<void> | null = null;
  const round = async () => {
    release ??= await holdJob(url, "hedwig-reconciler");
    if (!release || stopped) return;
    const now = new Date();
    await reconcileInstances(db, dispatch, now, log);
    await keepLoadBalancers(db, dispatch, now, log);
    // the one reconciler also starts the backups that are due, so two workers never start the same one
    await scheduleBackups(db, dispatch, now, log);
    await purgeRetiredData(db, now, log);
  };
  const loop = async () => {
    const seconds = await loadReconcilerSettings(db).then(
      (s) => s.checkSeconds,
      () => 5,
    );
    if (stopped) return;
    timer = setTimeout(() => {
      running = round()
        .catch((e: Error) => log(`round failed: ${e.message}`))
        .finally(() => {
          running = null;
          void loop();
        });
    }, seconds * 1000);
  };
  void loop();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      await release?.();
    },
  };
}
