import { text, type Text } from "../../../lib/text";
import type { Db, DbTx } from "../../db/client";
import type { InstanceRole } from "../../../generated/prisma/enums";
import type { Actor } from "../access/actor";
import { DomainError, errorText, notFound } from "../errors";
import { hostsBeside, placeInputFor, placementGroups } from "../provisioning/placement";
import type { RequestForm } from "../provisioning/request-schema";
import { sizeRequest, type Plan, type PlanAdjustment } from "../provisioning/sizing";
import type { SkippedHost } from "../scheduler";
import { place } from "../scheduler/store/allocations";
import { snapshotCacheFor } from "../scheduler/store/fleet";
import { loadSizingSettings } from "./sizing-store";

const hasChanges = (adjust: PlanAdjustment) => Object.values(adjust).some((v) => v !== undefined);

/** The plan a DBA's adjustment makes of the request's form, sized with today's settings; null when nothing changes. */
export async function adjustedPlan(db: DbTx, request: { form: unknown; productLineId: number }, adjust: PlanAdjustment): Promise<Plan | null> {
  if (!hasChanges(adjust)) return null;
  const line = await db.productLine.findUniqueOrThrow({ where: { id: request.productLineId }, select: { importance: true } });
  return sizeRequest(request.form as RequestForm, line, null, await loadSizingSettings(db), adjust);
}

export type PlacementPreview =
  | {
      fits: true;
      groups: {
        role: string;
        software: string;
        summary: Text;
        skippedPorts: { ip: string; port: number }[];
        items: { shardIndex: number; replicaIndex: number; ip: string; port: number; rack: string; idc: string }[];
      }[];
    }
  | { fits: false; refusal: Text | string };

/**
 * What the DBA approves: the plan (adjusted or not) and where the scheduler would put it now, by a dry
 * run of the same queries the job makes. Nothing is locked: the job places again when it runs, so a
 * fleet that changed meanwhile gives other hosts, never a double booking.
 */
export async function previewApproval(db: Db, actor: Actor, id: number, adjust: PlanAdjustment) {
  const request = await db.resourceRequest.findUnique({ where: { id }, include: { productLine: true } });
  if (!request) throw notFound(text("errors.domain.notFound.request", { id }));
  const plan = (await adjustedPlan(db, request, adjust)) ?? (request.plan as unknown as Plan);
  const form = request.form as RequestForm;
  let placement: PlacementPreview;
  // Named whether or not the plan fits: a host left out may be the one it needed.
  let skippedHosts: readonly SkippedHost[] = [];
  try {
    const groups = [];
    const placed: { role: InstanceRole; hostId: number }[] = [];
    for (const g of placementGroups(plan)) {
      const r = await place(db, actor, placeInputFor(request, form, g, { ownerRef: null, dryRun: true }, hostsBeside(g, placed)));
      placed.push(...r.items);
      skippedHosts = r.skippedHosts;
      groups.push({
        role: g.role ?? "MASTER",
        software: g.software,
        summary: r.summary,
        skippedPorts: r.skippedPorts,
        items: r.items.map((i) => ({ shardIndex: i.shardIndex, replicaIndex: i.replicaIndex, ip: i.ip, port: i.port, rack: i.rack, idc: i.idc })),
      });
    }
    placement = { fits: true, groups };
  } catch (e) {
    // The scheduler's refusal is the answer the DBA needs ("no host has 40 GB free in IDC sh-b"), not an error page.
    if (!(e instanceof DomainError)) throw e;
    placement = { fits: false, refusal: errorText(e) };
    skippedHosts = (await snapshotCacheFor(db).get(db)).skipped;
  }
  return { plan, adjusted: hasChanges(adjust), placement, skippedHosts };
}
