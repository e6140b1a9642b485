import type { ImportKind } from "./types";

/**
 * The columns each kind of import reads. Headers match case-insensitively and ignore '_', '-' and
 * spaces, so `memory_mb`, `Memory MB` and `memoryMb` are the same column.
 */
export const HOST_COLUMNS = [
  "ip",
  "hostname",
  "idc",
  "rack",
  "cpuCores",
  "memoryMb",
  "memoryGb",
  "diskGb",
  "bandwidthMbps",
  "status",
  "tier",
  "department",
  "labels",
] as const;

export const INSTANCE_COLUMNS = [
  "service",
  "productLine",
  "kind",
  "host",
  "port",
  "software",
  "role",
  "shard",
  "version",
  "maxmemoryMb",
  "master",
  "state",
] as const;

export type HostColumn = (typeof HOST_COLUMNS)[number];
export type InstanceColumn = (typeof INSTANCE_COLUMNS)[number];

/** Other spellings people export from their own CMDB. */
const ALIASES: Record<ImportKind, Record<string, string>> = {
  hosts: {
    cpu: "cpuCores",
    cores: "cpuCores",
    disk: "diskGb",
    bandwidth: "bandwidthMbps",
    idccode: "idc",
    rackcode: "rack",
    departmentcode: "department",
    dept: "department",
    name: "hostname",
  },
  instances: { hostip: "host", ip: "host", shardindex: "shard", productlinecode: "productLine", servicename: "service", masteraddr: "master" },
};

/** A CSV header must carry these; a JSON object must carry them too, but that is checked per row. */
export const REQUIRED_COLUMNS: Record<ImportKind, readonly string[]> = {
  hosts: ["ip", "hostname", "idc", "rack", "cpuCores", "diskGb", "bandwidthMbps"],
  instances: ["service", "host", "port", "role", "version"],
};

export const columnsOf = (kind: ImportKind): readonly string[] => (kind === "hosts" ? HOST_COLUMNS : INSTANCE_COLUMNS);

const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");

/** The canonical column for a header as written, or null when it is not one the import reads. */
export function canonicalColumn(kind: ImportKind, header: string): string | null {
  const key = squash(header);
  if (!key) return null;
  return columnsOf(kind).find((c) => squash(c) === key) ?? ALIASES[kind][key] ?? null;
}
