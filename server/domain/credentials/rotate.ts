import { z } from "zod";
import type { Db, DbTx } from "../../db/client";
import { createJob } from "../../jobs/queue";
import type { JobDefinition, StepContext } from "../../jobs/steps";
import type { Actor } from "../access/actor";
import { recordAudit } from "../audit/record";
import { idSchema } from "../bounds";
import { conflict, notFound, precondition } from "../errors";
import { startTarget, stopTarget } from "../operations/daemon";
import { readPool, writePool } from "../operations/nutcracker";
import { loadTarget, type Target } from "../operations/target";
import { withRedis } from "../provisioning/deploy/probes";
import type { Dispatcher } from "../requests/requests";
import { open, seal, secretKey } from "../executors/secrets";
import { generatePassword } from "./model";
import { text } from "../../../lib/text";

/**
 * Rotation of the application's password without a failed request: the new password is added
 * beside the old one on every Redis and Sentinel (a user holds several), the proxies are moved to it
 * one after the other (Twemproxy holds one password: rewritten, then restarted, while the VIP keeps
 * the others), clients move during `graceSec`, and only then is the old one removed.
 */
export const rotateSchema = z.object({
  serviceId: idSchema,
  /** how long both passwords stay valid from when the new one is added: the clients' time to pick it up */
  graceSec: z.number().int().min(0).max(3600).default(300),
});
export type RotateInput = z.infer<typeof rotateSchema>;

export const ROTATE_KIND = "credentials.rotate";

/** Twemproxy restarted; the time the VIP's health check needs to see it up again (inter 3 s × rise 2) before the next goes down. */
const PROXY_SETTLE_MS = 7_000;

const sealOne = (p: string) => seal(p, secretKey(), "service-credential");
const openOne = (s: string) => open(s, secretKey(), "service-credential");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Ctx = StepContext<RotateInput, Record<string, never>>;

async function appRow(db: DbTx, serviceId: number) {
  const row = await db.serviceCredential.findUnique({ where: { serviceId_kind: { serviceId, kind: "APP" } } });
  if (!row) throw notFound(text("refusals.credentials.noAppPassword", { id: serviceId }));
  return row;
}

async function targets(db: DbTx, serviceId: number, roles: ("MASTER" | "REPLICA" | "SENTINEL" | "PROXY")[]): Promise<Target[]> {
  const rows = await db.instance.findMany({ where: { serviceId, role: { in: roles }, state: "RUNNING" }, orderBy: { id: "asc" }, select: { id: true } });
  return Promise.all(rows.map((r) => loadTarget(db, r.id)));
}

/** ACL SETUSER on every Redis and Sentinel (ACLs are not replicated), persisted in its config. */
async function setUser(ctx: Ctx, username: string, rule: string, what: "added" | "removed") {
  for (const t of await targets(ctx.db, ctx.input.serviceId, ["MASTER", "REPLICA", "SENTINEL"])) {
    await withRedis(t, async (r) => {
      await r.call("ACL", "SETUSER", username, rule);
      // Sentinel rewrites its own file; a Redis keeps its users in redis.conf through CONFIG REWRITE
      await r.call(...((t.software === "REDIS_SENTINEL" ? ["SENTINEL", "FLUSHCONFIG"] : ["CONFIG", "REWRITE"]) as [string, ...string[]]));
    });
    await ctx.log.info(text(`jobs.log.rotate.${what}`, { label: t.label, user: username }));
  }
}

export const rotateJob: JobDefinition<RotateInput, Record<string, never>> = {
  kind: ROTATE_KIND,
  steps: [
    {
      name: text("jobs.steps.rotate.add"),
      run: async (ctx) => {
        let row = await appRow(ctx.db, ctx.input.serviceId);
        // a resumed run keeps the pair it made: the new password is the stored one, the old one is kept as previous
        if (!row.previousSealed)
          row = await ctx.db.serviceCredential.update({ where: { id: row.id }, data: { sealed: sealOne(generatePassword()), previousSealed: row.sealed } });
        await setUser(ctx, row.username, `>${openOne(row.sealed)}`, "added");
      },
    },
    {
      name: text("jobs.steps.rotate.proxies"),
      run: async (ctx) => {
        const row = await appRow(ctx.db, ctx.input.serviceId);
        const password = openOne(row.sealed);
        const proxies = (await targets(ctx.db, ctx.input.serviceId, ["PROXY"])).filter((p) => p.inst.service.kind === "REDIS_TWEMPROXY");
        for (const [i, p] of proxies.entries()) {
          const pool = await readPool(p);
          if (pool.redisAuth === password) continue;
          await writePool(p, { ...pool, redisAuth: password });
          // Twemproxy cannot reload its file: one proxy at a time, so the VIP always has the others
          await stopTarget(ctx.db, ctx.log, p, { keepDesired: true });
          await startTarget(ctx.db, ctx.log, p);
          await ctx.log.info(text("jobs.log.rotate.proxyMoved", { label: p.label }));
          if (i < proxies.length - 1) await sleep(PROXY_SETTLE_MS);
        }
      },
    },
    {
      name: text("jobs.steps.rotate.grace"),
      run: async (ctx) => {
        const row = await appRow(ctx.db, ctx.input.serviceId);
        // a resumed run waits only what is left
        const left = ctx.input.graceSec * 1000 - (Date.now() - row.updatedAt.getTime());
        if (left > 0) {
          await ctx.log.info(text("jobs.log.rotate.grace", { seconds: Math.ceil(left / 1000) }));
          await sleep(left);
        }
      },
    },
    {
      name: text("jobs.steps.rotate.remove"),
      run: async (ctx) => {
        const row = await appRow(ctx.db, ctx.input.serviceId);
        if (row.previousSealed) await setUser(ctx, row.username, `<${openOne(row.previousSealed)}`, "removed");
        await ctx.db.serviceCredential.update({ where: { id: row.id }, data: { previousSealed: null, rotatedAt: new Date() } });
      },
    },
  ],
};

/** Queues a rotation (one job at a time per service, as operations) and audits who asked. */
export async function submitRotation(db: Db, actor: Actor, input: RotateInput, dispatch: Dispatcher) {
  const job = await db.$transaction(async (tx) => {
    const service = await tx.service.findUnique({ where: { id: input.serviceId }, select: { id: true, name: true, adopted: true, isDemo: true } });
    if (!service) throw notFound(text("errors.domain.notFound.service", { id: input.serviceId }));
    if (service.adopted || service.isDemo) throw precondition(text("refusals.credentials.notDelivered", { service: service.name }));
    await appRow(tx, service.id);
    await tx.$queryRaw`SELECT "id" FROM "Service" WHERE "id" = ${service.id} FOR UPDATE`;
    const busy = await tx.job.findFirst({ where: { serviceId: service.id, status: { in: ["QUEUED", "RUNNING"] } } });
    if (busy)
      throw conflict(text("errors.domain.ops.busy", { kind: busy.kind, job: busy.id.slice(0, 8), status: busy.status.toLowerCase(), service: service.name }));
    const created = await createJob(tx, { kind: ROTATE_KIND, input, serviceId: service.id, createdById: actor.id });
    await recordAudit(tx, actor, {
      action: ROTATE_KIND,
      entityType: "Service",
      entityId: service.id,
      summary: `rotate the application password of ${service.name}; the old one stays valid ${input.graceSec} s after the proxies moved (job ${created.id.slice(0, 8)})`,
      after: { jobId: created.id, graceSec: input.graceSec },
    });
    return created;
  });
  await dispatch(job.id);
  return job;
}
