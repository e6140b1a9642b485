/**
 * The scheduler's pure core: compile the fleet once (`buildSnapshot`), then count inventory and
 * place shards against it. No I/O; the caller loads hosts and settings and stores the plan.
 */
export { buildSnapshot, usedPortsOf, type ClusterSnapshot, type SkippedHost } from "./snapshot";
export { countInventory, countInventoryForSpecs } from "./inventory";
export { placeShards } from "./placement";
export { withHosts, withPlacement } from "./apply";
export { assignPorts, type PortAssignment } from "./ports";
export { DEFAULT_SCHEDULER_SETTINGS, resolveSettings, type SchedulerSettings, type StoredSchedulerSettings } from "./settings";
export * from "./types";
