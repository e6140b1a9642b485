import type { InspectionSeverity } from "../../../generated/prisma/enums";

/**
 * The inspection's judgements, pure: the runner gathers what the catalogue, the hosts' files and
 * the live instances say, and these turn it into findings — a code the page translates, with the
 * parameters that say where and how to fix.
 */

export type FindingCode =
  | "configDrift"
  | "masterReplicaSameHost"
  | "masterReplicaSameRack"
  | "proxyNoTimeout"
  | "persistenceFailing"
  | "versionSkew"
  | "fragmentation"
  | "clientsNearMax"
  | "unknownListener"
  | "unreadable";

export interface Finding {
  code: FindingCode;
  severity: InspectionSeverity;
  serviceId: number | null;
  instanceId: number | null;
  hostId: number | null;
  params: Record<string, string | number>;
  fixable: boolean;
}

/** Keys of redis.conf compared with the running value: those Hedwig renders and CONFIG SET can put back. */
export const COMPARED_KEYS = [
  "maxmemory",
  "maxmemory-policy",
  "save",
  "appendonly",
  "appendfsync",
  "slowlog-max-len",
  "repl-diskless-sync-delay",
  "latency-tracking",
  "protected-mode",
  "timeout",
  "maxclients",
  "tcp-keepalive",
  "hz",
] as const;

const UNITS: Record<string, number> = { k: 1000, kb: 1024, m: 1e6, mb: 1024 ** 2, g: 1e9, gb: 1024 ** 3 };

/** Redis's own reading of a memory figure ("100mb" → 104857600). */
export function memoryBytes(v: string): number | null {
  const m = /^(\d+)([kmg]b?)?$/i.exec(v.trim());
  return m ? Number(m[1]) * (m[2] ? UNITS[m[2].toLowerCase()]! : 1) : null;
}

const unquote = (v: string) => v.replace(/^"(.*)"$/, "$1");

/** The compared keys of a redis.conf; repeated `save` lines join as CONFIG GET shows them. */
export function parseRedisConf(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const saves: string[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const sp = line.indexOf(" ");
    const key = (sp < 0 ? line : line.slice(0, sp)).toLowerCase();
    const value = sp < 0 ? "" : line.slice(sp + 1).trim();
    if (!(COMPARED_KEYS as readonly string[]).includes(key)) continue;
    if (key === "save") {
      const v = unquote(value);
      if (v === "") saves.length = 0;
      else saves.push(v);
      out.save = saves.join(" ");
    } else out[key] = unquote(value);
  }
  return out;
}

const same = (key: string, file: string, running: string) => {
  if (key === "maxmemory") return memoryBytes(file) === memoryBytes(running);
  return file.trim().toLowerCase().replace(/\s+/g, " ") === running.trim().toLowerCase().replace(/\s+/g, " ");
};

/** Keys whose running value differs from the file's: [key, running, file]. */
export function configDrift(file: Record<string, string>, running: Record<string, string>): [string, string, string][] {
  const out: [string, string, string][] = [];
  for (const [key, value] of Object.entries(file)) {
    const now = running[key];
    if (now !== undefined && !same(key, value, now)) out.push([key, now, value]);
  }
  return out;
}

/** "maxmemory 209715200 → 100mb; appendonly yes → no": config values read the same in every language. */
export const driftText = (drift: [string, string, string][]) => drift.map(([k, now, file]) => `${k} ${now || '""'} → ${file || '""'}`).join("; ");

export type LiveRedis = {
  instanceId: number;
  serviceId: number;
  hostId: number;
  service: string;
  where: string;
  info: Record<string, string>;
  config: Record<string, string>;
};

export const FRAGMENTATION_RATIO = 1.5;
/** below this RSS a high ratio is an empty instance's allocator overhead, not a problem */
export const FRAGMENTATION_MIN_RSS_MB = 100;
export const CLIENTS_WARN = 0.8;
export const CLIENTS_CRITICAL = 0.95;

/** Persistence, fragmentation and clients of one live Redis. */
export function liveRedisFindings(r: LiveRedis): Finding[] {
  const out: Finding[] = [];
  const at = { serviceId: r.serviceId, instanceId: r.instanceId, hostId: r.hostId, fixable: false };
  const rdb = r.info.rdb_last_bgsave_status;
  const aof = r.info.aof_last_write_status ?? r.info.aof_last_bgrewrite_status;
  if ((rdb && rdb !== "ok") || (aof && aof !== "ok")) {
    out.push({ ...at, code: "persistenceFailing", severity: "CRITICAL", params: { service: r.service, instance: r.where, rdb: rdb ?? "-", aof: aof ?? "-" } });
  }
  const ratio = Number(r.info.mem_fragmentation_ratio);
  const rssMb = Number(r.info.used_memory_rss) / 1024 ** 2;
  if (Number.isFinite(ratio) && ratio >= FRAGMENTATION_RATIO && rssMb >= FRAGMENTATION_MIN_RSS_MB) {
    out.push({
      ...at,
      code: "fragmentation",
      severity: "WARNING",
      params: { service: r.service, instance: r.where, ratio: Math.round(ratio * 100) / 100, rssMb: Math.round(rssMb) },
    });
  }
  const clients = Number(r.info.connected_clients);
  const max = Number(r.config.maxclients);
  if (Number.isFinite(clients) && max > 0 && clients / max >= CLIENTS_WARN) {
    out.push({
      ...at,
      code: "clientsNearMax",
      severity: clients / max >= CLIENTS_CRITICAL ? "CRITICAL" : "WARNING",
      params: { service: r.service, instance: r.where, clients, max, pct: Math.round((clients / max) * 100) },
    });
  }
  return out;
}

export type PlacedInstance = {
  id: number;
  serviceId: number;
  service: string;
  role: string;
  shardIndex: number | null;
  masterId: number | null;
  hostId: number;
  ip: string;
  port: number;
  rackId: number;
  rack: string;
  software: string;
  version: string;
  /** the version the instance itself reports (INFO redis_version), when read */
  liveVersion?: string | null;
};

/** A replica on its master's host loses both copies with the host; on its rack, with the rack's switch or power. */
export function placementFindings(instances: PlacedInstance[]): Finding[] {
  const byId = new Map(instances.map((i) => [i.id, i]));
  const out: Finding[] = [];
  for (const r of instances) {
    if (r.role !== "REPLICA" || r.masterId === null) continue;
    const m = byId.get(r.masterId);
    if (!m) continue;
    const params = { service: r.service, shard: r.shardIndex ?? 0, master: `${m.ip}:${m.port}`, replica: `${r.ip}:${r.port}`, host: r.ip, rack: r.rack };
    if (m.hostId === r.hostId)
      out.push({ code: "masterReplicaSameHost", severity: "CRITICAL", serviceId: r.serviceId, instanceId: r.id, hostId: r.hostId, params, fixable: false });
    else if (m.rackId === r.rackId)
      out.push({ code: "masterReplicaSameRack", severity: "WARNING", serviceId: r.serviceId, instanceId: r.id, hostId: r.hostId, params, fixable: false });
  }
  return out;
}

/** More than one version of one software inside a service (the live version where it was read). */
export function versionSkewFindings(instances: PlacedInstance[]): Finding[] {
  const groups = new Map<string, { serviceId: number; service: string; software: string; versions: Map<string, number> }>();
  for (const i of instances) {
    const key = `${i.serviceId}|${i.software}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { serviceId: i.serviceId, service: i.service, software: i.software, versions: new Map() }));
    const v = i.liveVersion || i.version;
    g.versions.set(v, (g.versions.get(v) ?? 0) + 1);
  }
  const out: Finding[] = [];
  for (const g of groups.values()) {
    if (g.versions.size < 2) continue;
    const versions = [...g.versions]
      .sort((a, b) => b[1] - a[1])
      .map(([v, n]) => `${v} ×${n}`)
      .join(", ");
    out.push({
      code: "versionSkew",
      severity: "WARNING",
      serviceId: g.serviceId,
      instanceId: null,
      hostId: null,
      params: { service: g.service, software: g.software, versions },
      fixable: false,
    });
  }
  return out;
}

/** A nutcracker.yml pool without `timeout:` waits for a dead server forever: clients hang instead of failing over. */
export const hasProxyTimeout = (yml: string) => /^\s+timeout:\s*\d+\s*$/m.test(yml);

export function countBySeverity(findings: readonly { severity: InspectionSeverity }[]): Record<InspectionSeverity, number> {
  const counts: Record<InspectionSeverity, number> = { CRITICAL: 0, WARNING: 0, INFO: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}
