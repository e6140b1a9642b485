import { text } from "../../../lib/text";
import { badInput } from "../errors";
import type { LabelRequirement } from "../inventory/label-selector";
import type { SchedulerSettings } from "./settings";
import type { AntiAffinityLevel, Constraints, HostCap, Importance, Spec } from "./types";
import { RESOURCES, UNIT_SCALE } from "./units";

/** Constraints after validation, in the form the filters read. */
export interface CheckedConstraints {
  idcIds: ReadonlySet<number> | null;
  labelSelector: readonly LabelRequirement[];
  hostIds: ReadonlySet<number> | null;
  importance: Importance;
  productLineId: number;
  departmentId: number;
  replicas: number;
  hostCap: HostCap | null;
  antiAffinity: AntiAffinityLevel;
}

/** The spec in whole units (RESOURCES order). */
export function checkSpec(spec: Spec): Float64Array {
  const units = new Float64Array(RESOURCES.length);
  RESOURCES.forEach((name, r) => {
    const v = spec[name];
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
      throw badInput(text("refusals.scheduler.specValue", { name, v: String(v) }));
    }
    const scaled = v * UNIT_SCALE[r]!;
    if (Math.abs(scaled - Math.round(scaled)) > 1e-6) {
      throw badInput(text("refusals.scheduler.specFine", { name, v, unit: name }));
    }
    units[r] = Math.round(scaled);
  });
  if (units.every((u) => u === 0)) {
    throw badInput(text("refusals.scheduler.specEmpty"));
  }
  return units;
}

const isId = (v: unknown): v is number => Number.isInteger(v);

export function checkConstraints(c: Constraints, settings: SchedulerSettings): CheckedConstraints {
  if (!Number.isInteger(c.importance) || c.importance < 1 || c.importance > 5) {
    throw badInput(text("refusals.scheduler.importance", { importance: c.importance }));
  }
  if (!Number.isInteger(c.replicas) || c.replicas < 1) {
    throw badInput(text("refusals.scheduler.replicas", { replicas: c.replicas }));
  }
  if (!isId(c.productLineId) || !isId(c.departmentId)) {
    throw badInput(text("refusals.scheduler.lineById"));
  }
  if (c.idcIds && c.idcIds.length === 0) throw badInput(text("refusals.scheduler.noIdc"));
  if (c.hostIds?.some((id) => !isId(id))) throw badInput(text("refusals.scheduler.notIds", { what: "host", ids: c.hostIds.join(", ") }));
  if (c.idcIds?.some((id) => !isId(id))) throw badInput(text("refusals.scheduler.notIds", { what: "idc", ids: c.idcIds.join(", ") }));
  const cap = c.hostCap ?? null;
  if (cap && (!isId(cap.serviceId) || !Number.isInteger(cap.maxPerHost) || cap.maxPerHost < 1)) {
    throw badInput(text("refusals.scheduler.hostCap", { cap: cap.maxPerHost, service: cap.serviceId }));
  }
  const importance = c.importance as Importance;
  return {
    idcIds: c.idcIds ? new Set(c.idcIds) : null,
    labelSelector: c.labelSelector ?? [],
    hostIds: c.hostIds ? new Set(c.hostIds) : null,
    importance,
    productLineId: c.productLineId,
    departmentId: c.departmentId,
    replicas: c.replicas,
    hostCap: cap,
    antiAffinity: c.crossIdc ? "idc" : importance >= settings.rackSpreadFromImportance ? "rack" : "host",
  };
}
