import type { Prisma } from "../../../generated/prisma/client";
import type { Db, DbTx } from "../../db/client";

/** Codes of what the reconciler says to people (translated under `healing` in i18n/messages). */
export const RESTARTS_STOPPED = "restarts_stopped";
export const NOTICE_RESTARTS_STOPPED = "healing.notices.restartsStopped";
export const NOTICE_LB_RESTARTS_STOPPED = "healing.notices.lbRestartsStopped";

export type RestartsStoppedParams = { address: string; service: string; restarts: number; windowMinutes: number };

/** A notice to every DBA, as a code with parameters that the page translates. */
export async function noticeDbas(tx: DbTx, notice: { code: string; params: Record<string, string | number>; link: string }): Promise<void> {
  const dbas = await tx.user.findMany({ where: { role: "DBA", disabled: false }, select: { id: true } });
  if (dbas.length === 0) return;
  await tx.notification.createMany({
    // title and body keep the plain facts for readers that do not translate codes
    data: dbas.map((u) => ({
      userId: u.id,
      code: notice.code,
      params: notice.params as Prisma.InputJsonValue,
      title: notice.code,
      body: Object.values(notice.params).join(" · "),
      link: notice.link,
    })),
  });
}

/**
 * Hedwig stops restarting an instance that keeps dying: the hold says why (a code the board and the
 * service page translate), and the DBAs get a notice. Once per episode: an instance already held is left as it is.
 */
export async function holdInstance(db: Db, instanceId: number, params: RestartsStoppedParams, serviceId: number, now: Date): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const created = await tx.restartHold.createMany({
      data: [{ instanceId, since: now, code: RESTARTS_STOPPED, params: params as Prisma.InputJsonValue }],
      skipDuplicates: true,
    });
    if (created.count === 0) return false;
    await noticeDbas(tx, { code: NOTICE_RESTARTS_STOPPED, params, link: `/inventory/services/${serviceId}` });
    return true;
  });
}
