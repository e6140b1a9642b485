import type { Resources } from "./types";

export const RESOURCES = ["cpuCores", "memoryMb", "diskGb", "bandwidthMbps"] as const;

/**
 * Resources are compared in whole units: thousandths of a core, MB, GB, Mbps. Integer arithmetic
 * makes floor(free / spec) equal to placing copies one by one; summed floats would drift.
 */
export const UNIT_SCALE = [1000, 1, 1, 1] as const;

export const toUnits = (r: Resources, i: number): number => Math.round(r[RESOURCES[i]!] * UNIT_SCALE[i]!);
