import type { InstanceRole, ServiceKind, Software } from "@/generated/prisma/enums";

/** The software a service of each kind is made of: what the "add instance" form offers. */
export const KIND_SOFTWARE: Record<ServiceKind, Software[]> = {
  REDIS_STANDALONE: ["REDIS"],
  REDIS_SENTINEL: ["REDIS", "REDIS_SENTINEL"],
  REDIS_TWEMPROXY: ["REDIS", "TWEMPROXY"],
  MEMCACHED: ["MEMCACHED"],
  MEMCACHED_TWEMPROXY: ["MEMCACHED", "TWEMPROXY"],
};

/** The roles an instance of each software can play. */
export const SOFTWARE_ROLES: Record<Software, InstanceRole[]> = {
  REDIS: ["MASTER", "REPLICA"],
  REDIS_SENTINEL: ["SENTINEL"],
  MEMCACHED: ["CACHE"],
  TWEMPROXY: ["PROXY"],
};

/** Roles that hold data, hence a shard and a maxmemory; proxies and sentinels have neither. */
export const holdsData = (role: InstanceRole) => role === "MASTER" || role === "REPLICA" || role === "CACHE";
