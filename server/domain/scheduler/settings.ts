import { text } from "../../../lib/text";
import { badInput } from "../errors";
import { USAGE_TIERS, type Importance, type UsageTier } from "./types";

export interface SchedulerSettings {
  /** the only tier each importance may use */
  tierByImportance: Record<Importance, UsageTier>;
  /** from this importance up, a shard's copies go on different racks (6 = never) */
  rackSpreadFromImportance: number;
  /** scoring; each term lies in [0, 1] before weighting */
  weights: {
    /** spread: prefer hosts with the most free share */
    leastAllocated: number;
    /** concentrate: prefer hosts with the least free share (bin packing) */
    mostAllocated: number;
    /**
     * both: prefer hosts whose four dimensions stay evenly used, so no dimension strands the rest.
     * Kept below the strategy's weight: cache specs are memory-heavy, and an equal weight would
     * make concentrate spread out to keep hosts balanced.
     */
    balanced: number;
    /** bonus for the preferred IDC; above the other weights together, it wins whenever that IDC has room */
    preferredIdc: number;
  };
}

export const DEFAULT_SCHEDULER_SETTINGS: SchedulerSettings = {
  tierByImportance: { 5: "DEDICATED", 4: "DEDICATED", 3: "MIXED_DEPARTMENT", 2: "MIXED", 1: "MIXED" },
  rackSpreadFromImportance: 4,
  weights: { leastAllocated: 1, mostAllocated: 1, balanced: 0.25, preferredIdc: 2 },
};

export interface StoredSchedulerSettings {
  tierByImportance?: Partial<Record<Importance, UsageTier>>;
  rackSpreadFromImportance?: number;
  weights?: Partial<SchedulerSettings["weights"]>;
}

/** Fills what an admin left out with the defaults and refuses values the scheduler cannot use. */
export function resolveSettings(stored: StoredSchedulerSettings = {}): SchedulerSettings {
  const d = DEFAULT_SCHEDULER_SETTINGS;
  const settings: SchedulerSettings = {
    tierByImportance: { ...d.tierByImportance, ...stored.tierByImportance },
    rackSpreadFromImportance: stored.rackSpreadFromImportance ?? d.rackSpreadFromImportance,
    weights: { ...d.weights, ...stored.weights },
  };
  for (const [importance, tier] of Object.entries(settings.tierByImportance)) {
    if (!USAGE_TIERS.includes(tier)) {
      throw badInput(text("refusals.scheduler.tier", { tier, importance, tiers: USAGE_TIERS.join(", ") }));
    }
  }
  const spread = settings.rackSpreadFromImportance;
  if (!Number.isInteger(spread) || spread < 1 || spread > 6) {
    throw badInput(text("refusals.scheduler.rackSpread", { spread }));
  }
  for (const [name, w] of Object.entries(settings.weights)) {
    if (!Number.isFinite(w) || w < 0) throw badInput(text("refusals.scheduler.weight", { name, w }));
  }
  return settings;
}
