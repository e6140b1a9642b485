import { text, type Text } from "../../../lib/text";
import { z } from "zod";

/**
 * The health rules' thresholds: settings (Setting "health"), overridable per service through
 * Service.healthOverrides with any subset of the same names.
 */
export const thresholdsSchema = z
  .object({
    memoryAmberPct: z.number().min(1, "refusals.fields.pctOfMaxmemory").max(100, "refusals.fields.pctOfMaxmemory"),
    memoryRedPct: z.number().min(1, "refusals.fields.pctOfMaxmemory").max(100, "refusals.fields.pctOfMaxmemory"),
    replLagAmberSec: z.number().min(1, "refusals.fields.secondsMin1").max(86_400, "refusals.fields.secondsMaxDay"),
    replLagRedSec: z.number().min(1, "refusals.fields.secondsMin1").max(86_400, "refusals.fields.secondsMaxDay"),
    /** hit ratio below this (amber), when there are enough lookups to judge */
    hitRatioMinPct: z.number().min(0, "refusals.fields.pct0to100Off").max(100, "refusals.fields.pct0to100Off"),
    hitRatioMinLookupsPerSec: z.number().min(0, "refusals.fields.lookupsMin"),
    latencyP99AmberUs: z.number().int("refusals.fields.wholeMicros").min(1, "refusals.fields.microsMin"),
    latencyP99RedUs: z.number().int("refusals.fields.wholeMicros").min(1, "refusals.fields.microsMin"),
    /** Twemproxy server timeouts in one poll interval */
    proxyTimeoutsAmber: z.number().int("refusals.fields.wholeNumber").min(1, "refusals.fields.min1"),
    proxyTimeoutsRed: z.number().int("refusals.fields.wholeNumber").min(1, "refusals.fields.min1"),
    /** evictions are red on Redis services unless a service says it may evict (a cache) */
    redisMustNotEvict: z.boolean(),
    memcachedMustNotEvict: z.boolean(),
  })
  .strict();

export type Thresholds = z.infer<typeof thresholdsSchema>;

/** Per service: any threshold, and mustNotEvict for this service alone. */
export const overridesSchema = thresholdsSchema
  .omit({ redisMustNotEvict: true, memcachedMustNotEvict: true })
  .partial()
  .extend({ mustNotEvict: z.boolean().optional() })
  .strict();
export type HealthOverrides = z.infer<typeof overridesSchema>;

export const DEFAULT_THRESHOLDS: Thresholds = {
  memoryAmberPct: 80,
  memoryRedPct: 90,
  replLagAmberSec: 10,
  replLagRedSec: 60,
  hitRatioMinPct: 80,
  hitRatioMinLookupsPerSec: 10,
  latencyP99AmberUs: 10_000,
  latencyP99RedUs: 50_000,
  proxyTimeoutsAmber: 1,
  proxyTimeoutsRed: 100,
  redisMustNotEvict: true,
  memcachedMustNotEvict: false,
};

type Pair = [keyof Thresholds, keyof Thresholds];
const ORDERED: Pair[] = [
  ["memoryAmberPct", "memoryRedPct"],
  ["replLagAmberSec", "replLagRedSec"],
  ["latencyP99AmberUs", "latencyP99RedUs"],
  ["proxyTimeoutsAmber", "proxyTimeoutsRed"],
];

/** Amber must come before red: field → message, empty when the pairs are in order. */
export function orderErrors(t: Partial<Thresholds>): Record<string, Text> {
  const out: Record<string, Text> = {};
  for (const [amber, red] of ORDERED) {
    const a = t[amber];
    const r = t[red];
    if (typeof a === "number" && typeof r === "number" && a > r) out[red] = text("refusals.health.belowAmber", { amber: a });
  }
  return out;
}

/** The effective thresholds of one service: the settings, then its overrides. */
export function effectiveThresholds(base: Thresholds, overrides: HealthOverrides, software: "REDIS" | "MEMCACHED"): Thresholds & { mustNotEvict: boolean } {
  const { mustNotEvict, ...rest } = overrides;
  const merged = { ...base, ...rest };
  return { ...merged, mustNotEvict: mustNotEvict ?? (software === "MEMCACHED" ? base.memcachedMustNotEvict : base.redisMustNotEvict) };
}

/** Stored overrides as far as they are valid (an invalid stored value is ignored rather than breaking health). */
export function readOverrides(stored: unknown): HealthOverrides {
  const parsed = overridesSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : {};
}
