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

const UNIT_NAMES = ["thousandths of a core", "whole MB", "whole GB", "whole Mbps"];

/** The spec in whole units (RESOURCES order). */
export function checkSpec(spec: Spec): Float64Array {
  const units = new Float64Array(RESOURCES.length);
  RESOURCES.forEach((name, r) => {
    const v = spec[name];
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
      throw badInput(`spec ${name} = ${v} is not valid: give a number ≥ 0`);
    }
    const scaled = v * UNIT_SCALE[r]!;
    if (Math.abs(scaled - Math.round(scaled)) > 1e-6) {
      throw badInput(`spec ${name} = ${v} is finer than the scheduler counts: give it in ${UNIT_NAMES[r]}`);
    }
    units[r] = Math.round(scaled);
  });
  if (units.every((u) => u === 0)) {
    throw badInput("the spec reserves nothing: give it at least memory (MB) or CPU cores");
  }
  return units;
}

const isId = (v: unknown): v is number => Number.isInteger(v);

export function checkConstraints(c: Constraints, settings: SchedulerSettings): CheckedConstraints {
  if (!Number.isInteger(c.importance) || c.importance < 1 || c.importance > 5) {
    throw badInput(`importance ${c.importance} is not valid: use 1–5 stars`);
  }
  if (!Number.isInteger(c.replicas) || c.replicas < 1) {
    throw badInput(`replica count ${c.replicas} is not valid: give the copies per shard, master included (1 or more)`);
  }
  if (!isId(c.productLineId) || !isId(c.departmentId)) {
    throw badInput("the requesting product line and its department must be given by id");
  }
  if (c.idcIds && c.idcIds.length === 0) throw badInput("no IDC chosen: choose at least one, or none to allow any");
  if (c.hostIds?.some((id) => !isId(id))) throw badInput(`host ids ${c.hostIds.join(", ")} are not all ids`);
  if (c.idcIds?.some((id) => !isId(id))) throw badInput(`IDC ids ${c.idcIds.join(", ")} are not all ids`);
  const cap = c.hostCap ?? null;
  if (cap && (!isId(cap.serviceId) || !Number.isInteger(cap.maxPerHost) || cap.maxPerHost < 1)) {
    throw badInput(`per-host cap ${cap.maxPerHost} for service ${cap.serviceId} is not valid: allow at least 1 instance per host`);
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
