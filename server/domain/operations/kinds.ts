import type { ParametersInput } from "../daytwo/parameters-job";
import type { UpgradeInput } from "../daytwo/upgrade-job";
/** The instance operations a DBA runs, each as a job of this kind. */
export const OPERATION_KINDS = [
  "instance.start",
  "instance.stop",
  "instance.restart",
  "instance.maxmemory",
  "instance.failover",
  "instance.remove",
  "twemproxy.clone",
  "service.parameters",
  "service.upgrade",
] as const;
export type OperationKind = (typeof OPERATION_KINDS)[number];
/** Jobs nobody submits: Hedwig records them (roles that changed outside it) and the service page lists them with the operations. */
export const RECORDED_KINDS = ["instance.roles"] as const;

export type InstanceOpInput = { instanceId: number };
export type MaxmemoryInput = { instanceId: number; maxmemoryMb: number };
export type CloneInput = { serviceId: number };
/** Day-two operations of a whole service (server/domain/daytwo/) */
export type ServiceOpKind = "service.parameters" | "service.upgrade";

/** A DBA's stop or restart puts the instance in maintenance until then (see healing/maintenance.ts). */
export type MaintenanceOption = { maintenance?: { until?: Date | null; note?: string | null } };

export type OperationRequest =
  | ({ kind: Exclude<OperationKind, "instance.maxmemory" | "twemproxy.clone" | "instance.stop" | "instance.restart" | ServiceOpKind> } & InstanceOpInput)
  | ({ kind: "service.parameters" } & ParametersInput)
  | ({ kind: "service.upgrade" } & UpgradeInput)
  | ({ kind: "instance.stop" | "instance.restart" } & InstanceOpInput & MaintenanceOption)
  | ({ kind: "instance.maxmemory" } & MaxmemoryInput)
  | ({ kind: "twemproxy.clone" } & CloneInput);
