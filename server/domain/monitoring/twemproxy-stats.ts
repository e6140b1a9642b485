/**
 * Twemproxy's stats port answers one JSON object: proxy-wide fields, then one object per pool whose
 * object-valued fields are its servers (named as in nutcracker.yml).
 */
export interface TwemproxyServerStats {
  name: string;
  requests: number;
  requestBytes: number;
  responseBytes: number;
  timedOut: number;
  errors: number;
  connections: number;
  /** µs since the epoch of the last ejection, 0 when never ejected */
  ejectedAt: number;
}
export interface TwemproxyPoolStats {
  name: string;
  clientConnections: number;
  serverEjects: number;
  forwardErrors: number;
  servers: TwemproxyServerStats[];
}
export interface TwemproxyStats {
  uptime: number;
  timestamp: number;
  version: string;
  pools: TwemproxyPoolStats[];
}

const n = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : 0);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function parseTwemproxyStats(text: string): TwemproxyStats {
  const doc: unknown = JSON.parse(text);
  if (!isObject(doc) || doc.service !== "nutcracker") throw new Error("the stats port did not answer with Twemproxy's stats JSON");
  const pools: TwemproxyPoolStats[] = [];
  for (const [name, pool] of Object.entries(doc)) {
    if (!isObject(pool)) continue;
    const servers: TwemproxyServerStats[] = [];
    for (const [serverName, s] of Object.entries(pool)) {
      if (!isObject(s)) continue;
      servers.push({
        name: serverName,
        requests: n(s.requests),
        requestBytes: n(s.request_bytes),
        responseBytes: n(s.response_bytes),
        timedOut: n(s.server_timedout),
        errors: n(s.server_err),
        connections: n(s.server_connections),
        ejectedAt: n(s.server_ejected_at),
      });
    }
    pools.push({ name, clientConnections: n(pool.client_connections), serverEjects: n(pool.server_ejects), forwardErrors: n(pool.forward_error), servers });
  }
  return { uptime: n(doc.uptime), timestamp: n(doc.timestamp), version: String(doc.version ?? ""), pools };
}
