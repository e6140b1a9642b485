import type { InstanceRole, ServiceKind, Software } from "../../../../generated/prisma/enums";

/** Each role runs one software: masters and replicas are redis-server, a proxy is nutcracker, … */
export const ROLE_SOFTWARE: Record<InstanceRole, Software> = {
  MASTER: "REDIS",
  REPLICA: "REDIS",
  SENTINEL: "REDIS_SENTINEL",
  PROXY: "TWEMPROXY",
  CACHE: "MEMCACHED",
};

/** The software a service of each kind is made of. */
export const KIND_SOFTWARE: Record<ServiceKind, readonly Software[]> = {
  REDIS_STANDALONE: ["REDIS"],
  REDIS_SENTINEL: ["REDIS", "REDIS_SENTINEL"],
  REDIS_TWEMPROXY: ["REDIS", "TWEMPROXY"],
  MEMCACHED: ["MEMCACHED"],
  MEMCACHED_TWEMPROXY: ["MEMCACHED", "TWEMPROXY"],
};

/** The instance clients connect to first, recorded as the entry of a service the import creates. */
export const ENTRY_ROLE: Record<ServiceKind, InstanceRole | null> = {
  REDIS_STANDALONE: "MASTER",
  REDIS_SENTINEL: "SENTINEL",
  REDIS_TWEMPROXY: "PROXY",
  MEMCACHED: null,
  MEMCACHED_TWEMPROXY: "PROXY",
};

export const ROLE_ALIASES: Record<string, string> = { SLAVE: "REPLICA", PRIMARY: "MASTER", SECONDARY: "REPLICA", NUTCRACKER: "PROXY" };
export const SOFTWARE_ALIASES: Record<string, string> = { SENTINEL: "REDIS_SENTINEL", NUTCRACKER: "TWEMPROXY", MC: "MEMCACHED" };

export type Resources = { cpuCores: number; memoryMb: number; diskGb: number; bandwidthMbps: number };

/**
 * What an adopted instance holds on its host, so the scheduler counts it as used. Hedwig did not
 * size it, so this is the same estimate its own deployments use: a Redis needs room to fork and
 * disk for RDB + AOF; a Memcached a little slack; proxies and sentinels a fixed small share.
 */
export function adoptedResources(software: Software, maxmemoryMb: number | null): Resources {
  const mem = maxmemoryMb ?? 0;
  switch (software) {
    case "REDIS":
      return {
        cpuCores: mem >= 8192 ? 2 : 1,
        memoryMb: Math.round(mem * 1.2),
        diskGb: Math.ceil((mem * 3) / 1024),
        bandwidthMbps: mem >= 8192 ? 200 : 100,
      };
    case "MEMCACHED":
      return { cpuCores: 1, memoryMb: Math.round(mem * 1.1), diskGb: 1, bandwidthMbps: 200 };
    case "TWEMPROXY":
      return { cpuCores: 1, memoryMb: 512, diskGb: 2, bandwidthMbps: 500 };
    case "REDIS_SENTINEL":
      return { cpuCores: 0.5, memoryMb: 256, diskGb: 1, bandwidthMbps: 10 };
  }
}

/** The range's cursor after ports up to `maxPort` were taken: past it, wrapping to the start after the end. */
export function nextPortAfter(range: { startPort: number; endPort: number; nextPort: number }, maxPort: number): number {
  if (maxPort < range.startPort || maxPort > range.endPort || maxPort < range.nextPort) return range.nextPort;
  return maxPort === range.endPort ? range.startPort : maxPort + 1;
}
