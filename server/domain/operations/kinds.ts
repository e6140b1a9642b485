/** The instance operations a DBA runs, each as a job of this kind. */
export const OPERATION_KINDS = [
  "instance.start",
  "instance.stop",
  "instance.restart",
  "instance.maxmemory",
  "instance.failover",
  "instance.remove",
  "twemproxy.clone",
] as const;
export type OperationKind = (typeof OPERATION_KINDS)[number];
/** Jobs nobody submits: Hedwig records them (roles that changed outside it) and the service page lists them with the operations. */
export const RECORDED_KINDS = ["instance.roles"] as const;

export type InstanceOpInput = { instanceId: number };
export type MaxmemoryInput = { instanceId: number; maxmemoryMb: number };
export type CloneInput = { serviceId: number };

export type OperationRequest =
  | ({ kind: Exclude<OperationKind, "instance.maxmemory" | "twemproxy.clone"> } & InstanceOpInput)
  | ({ kind: "instance.maxmemory" } & MaxmemoryInput)
  | ({ kind: "twemproxy.clone" } & CloneInput);
