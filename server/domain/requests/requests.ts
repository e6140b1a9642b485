import { english } from "../../../i18n/load";
import type jobs from "../../../i18n/messages/en/jobs.json";
import { text, type TextParams } from "../../../lib/text";
import type { Prisma } from "../../../generated/prisma/client";
import type { RequestStatus } from "../../../generated/prisma/enums";
import type { Db, DbTx } from "../../db/client";
import { assertProductLineVisible, visibleProductLines, type Actor } from "../access/actor";
import { recordAudit } from "../audit/record";
import { badInput, forbidden, notFound } from "../errors";
import { type RequestForm } from "../provisioning/request-schema";
import { sizeRequest, type Plan, type PlanAdjustment } from "../provisioning/sizing";
import { availableEvents, transition, type RequestActor, type RequestEvent } from "../provisioning/states";
import { createJob } from "../../jobs/queue";
import { can } from "../../../lib/roles";
import { adjustedPlan } from "./approval";
import { loadSizingSettings } from "./sizing-store";
import { transactional } from "../../db/transaction";
import { CLEANUP_KIND } from "../decommission/cleanup";
import { DECOMMISSION_KIND } from "../decommission/decommission";

/** How an actor stands towards a request: its requester, or a DBA; anyone else (a colleague of the same line included) may only read it. */
function roleFor(actor: Actor, request: { requesterId: number; productLineId: number }): RequestActor | null {
  if (can(actor.role, "operate")) return "DBA";
  if (can(actor.role, "request") && request.requesterId === actor.id) return "REQUESTER";
  return null;
}

/** The plan Hedwig proposes for a form: what the requester sees before submitting. */
export async function previewPlan(db: DbTx, actor: Actor, form: RequestForm): Promise<Plan> {
  assertProductLineVisible(actor, form.productLineId);
  const line = await db.productLine.findUnique({ where: { id: form.productLineId }, select: { importance: true } });
  if (!line) throw badInput(text("errors.domain.notFound.productLine", { id: form.productLineId }));
  if (form.idcPreference && !(await db.idc.findUnique({ where: { id: form.idcPreference } })))
    throw badInput(text("errors.domain.notFound.idc", { id: form.idcPreference }));
  // No monitoring history yet: sizing says so in its reasons and uses the form alone.
  return sizeRequest(form, line, null, await loadSizingSettings(db));
}

export const createRequest = transactional(async function createRequest(db: DbTx, actor: Actor, form: RequestForm, submit: boolean) {
  const plan = await previewPlan(db, actor, form);
  const request = await db.resourceRequest.create({
    data: {
      productLineId: form.productLineId,
      requesterId: actor.id,
      kind: form.kind,
      purpose: form.purpose,
      form: form as Prisma.InputJsonValue,
      plan: plan as unknown as Prisma.InputJsonValue,
      status: submit ? "SUBMITTED" : "DRAFT",
    },
  });
  await recordAudit(db, actor, {
    action: submit ? "request.submit" : "request.draft",
    entityType: "ResourceRequest",
    entityId: request.id,
    text: text("auditLog.requests.submit", { submit: submit ? "yes" : "no", id: request.id, gb: form.capacityGb, qps: form.peakQps, kind: form.kind }),
    after: request,
  });
  return request;
});

export type RequestListInput = { status?: RequestStatus; mine?: boolean; productLineId?: number; page: number; pageSize: number };

/** A BUSINESS user sees the requests of their product lines; a DBA's queue is every SUBMITTED one, oldest first. */
export async function listRequests(db: DbTx, actor: Actor, f: RequestListInput) {
  const visible = visibleProductLines(actor);
  const where: Prisma.ResourceRequestWhereInput = {
    AND: [
      visible ? { productLineId: { in: visible } } : {},
      f.status ? { status: f.status } : {},
      f.mine ? { requesterId: actor.id } : {},
      f.productLineId ? { productLineId: f.productLineId } : {},
    ],
  };
  const [total, rows] = await Promise.all([
    db.resourceRequest.count({ where }),
    db.resourceRequest.findMany({
      where,
      orderBy: f.status === "SUBMITTED" ? { createdAt: "asc" } : { createdAt: "desc" },
      skip: (f.page - 1) * f.pageSize,
      take: f.pageSize,
      include: {
        productLine: { select: { code: true, name: true, importance: true } },
        requester: { select: { username: true, displayName: true } },
        service: { select: { id: true, name: true } },
      },
    }),
  ]);
  return { total, rows: rows.map((r) => ({ ...r, plan: r.plan as unknown as Plan })) };
}

export async function getRequest(db: DbTx, actor: Actor, id: number) {
  const r = await db.resourceRequest.findUnique({
    where: { id },
    include: {
      productLine: { select: { id: true, code: true, name: true, importance: true, department: { select: { name: true } } } },
      requester: { select: { username: true, displayName: true } },
      decidedBy: { select: { username: true } },
      service: { select: { id: true, name: true } },
      jobs: {
        orderBy: { createdAt: "desc" },
        include: { steps: { orderBy: { index: "asc" } }, logs: { orderBy: { id: "asc" }, take: 2000 } },
      },
    },
  });
  if (!r) throw notFound(text("errors.domain.notFound.request", { id }));
  assertProductLineVisible(actor, r.productLineId);
  const as = roleFor(actor, r);
  return {
    ...r,
    form: r.form as RequestForm,
    plan: r.plan as unknown as Plan,
    jobs: r.jobs.map((j) => ({ ...j, logs: j.logs.map((l) => ({ ...l, id: l.id.toString() })) })),
    actions: as ? availableEvents(r.status, as).filter((e) => e !== "start" && e !== "deliver" && e !== "fail") : [],
  };
}

/**
 * Moves a request along its state machine under a row lock, so two DBAs deciding at once act once:
 * the second finds the request already moved and is told so. Returns the request as it now is.
 */
export async function moveRequest(
  tx: DbTx,
  actor: Actor | null,
  id: number,
  event: RequestEvent,
  change: Partial<Prisma.ResourceRequestUncheckedUpdateInput> = {},
) {
  const [locked] = await tx.$queryRaw<{ id: number }[]>`SELECT "id" FROM "ResourceRequest" WHERE "id" = ${id} FOR UPDATE`;
  if (!locked) throw notFound(text("errors.domain.notFound.request", { id }));
  const before = await tx.resourceRequest.findUniqueOrThrow({ where: { id } });
  const as: RequestActor | null = actor === null ? "SYSTEM" : roleFor(actor, before);
  if (actor) assertProductLineVisible(actor, before.productLineId);
  if (as === null) throw forbidden(text("errors.domain.request.notYours", { id }));
  const to = transition(before.status, event, as);
  const after = await tx.resourceRequest.update({ where: { id }, data: { ...change, status: to } });
  await recordAudit(tx, actor, {
    action: `request.${event}`,
    entityType: "ResourceRequest",
    entityId: id,
    text: change.decisionComment
      ? text("auditLog.requests.transitionComment", { id, from: before.status, to, comment: String(change.decisionComment) })
      : text("auditLog.requests.transition", { id, from: before.status, to }),
    before: { status: before.status },
    after: { status: to, ...change },
  });
  return after;
}

/** A notice as a message key with `title` and `body` under it; title and body keep the English for readers that do not translate. */
export async function notify(db: DbTx, userId: number, code: `jobs.notices.${keyof (typeof jobs)["notices"]}`, params: TextParams, link: string) {
  const title = english({ code: `${code}.title`, params });
  const body = english({ code: `${code}.body`, params });
  await db.notification.create({ data: { userId, title, body, code, params: params as Prisma.InputJsonValue, link } });
}

export type Dispatcher = (jobId: string) => Promise<void>;

/**
 * The job that carries a request out, recorded in the deciding transaction and queued once it
 * commits: a delivery, or a retirement (on its service, so no operation runs on it meanwhile).
 */
async function provisionJobFor(tx: DbTx, requestId: number, actor: Actor) {
  const r = await tx.resourceRequest.findUniqueOrThrow({ where: { id: requestId }, select: { action: true, targetServiceId: true } });
  if (r.action !== "PROVISION")
    return createJob(tx, {
      kind: r.action === "DECOMMISSION" ? DECOMMISSION_KIND : CLEANUP_KIND,
      requestId,
      serviceId: r.targetServiceId,
      createdById: actor.id,
      input: { requestId },
    });
  return createJob(tx, { kind: "provision", requestId, createdById: actor.id, input: { requestId } });
}

/** A DBA approves: the request moves to APPROVED and its provisioning job is queued once committed. */
export async function approveRequest(db: Db, actor: Actor, id: number, comment: string | null, dispatch: Dispatcher, adjust: PlanAdjustment = {}) {
  const job = await db.$transaction(async (tx) => {
    const current = await tx.resourceRequest.findUnique({ where: { id }, select: { form: true, productLineId: true } });
    // An adjusted plan replaces the proposed one in the same transaction as the decision (and its audit).
    const plan = current ? await adjustedPlan(tx, current, adjust) : null;
    const r = await moveRequest(tx, actor, id, "approve", {
      decidedById: actor.id,
      decidedAt: new Date(),
      decisionComment: comment,
      ...(plan ? { plan: plan as unknown as Prisma.InputJsonValue } : {}),
    });
    return provisionJobFor(tx, r.id, actor);
  });
  await dispatch(job.id);
  return job;
}

export async function rejectRequest(db: Db, actor: Actor, id: number, comment: string) {
  return db.$transaction(async (tx) => {
    const r = await moveRequest(tx, actor, id, "reject", { decidedById: actor.id, decidedAt: new Date(), decisionComment: comment });
    await notify(tx, r.requesterId, "jobs.notices.rejected", { request: id, comment }, `/requests/${id}`);
    return r;
  });
}

/** After a failed run: back to APPROVED and the same job again, which resumes (its finished steps were undone). */
export async function retryRequest(db: Db, actor: Actor, id: number, dispatch: Dispatcher) {
  const job = await db.$transaction(async (tx) => {
    await moveRequest(tx, actor, id, "retry");
    return provisionJobFor(tx, id, actor);
  });
  await dispatch(job.id);
  return job;
}

export async function simpleMove(db: Db, actor: Actor, id: number, event: "submit" | "withdraw" | "cancel") {
  return db.$transaction((tx) => moveRequest(tx, actor, id, event));
}
