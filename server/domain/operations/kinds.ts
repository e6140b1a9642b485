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

export type InstanceOpInput = { instanceId: number };
export type MaxmemoryInput = { instanceId: number; maxmemoryMb: number };
export type CloneInput = { serviceId: number };

export type OperationRequest =
  | ({ kind: Exclude<OperationKind, "instance.maxmemory" | "twemproxy.clone"> } & InstanceOpInput)
  | ({ kind: "instance.maxmemory" } & MaxmemoryInput)
  | ({ kind: "twemproxy.clone" } & CloneInput);
