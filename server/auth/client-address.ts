/** Written by scripts/peer-address.mjs from the socket, over any client's value: the one header a client cannot choose. */
export const PEER_HEADER = "x-hedwig-peer";

const header = (headers: Record<string, unknown> | undefined, name: string): string => {
  const v = headers?.[name];
  return Array.isArray(v) ? v.join(",") : typeof v === "string" ? v : "";
};

/** "::ffff:10.0.0.1" (an IPv4 client on a dual-stack socket) is 10.0.0.1. */
const normal = (ip: string) => ip.trim().replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, "$1");

/** HEDWIG_TRUSTED_PROXIES: the addresses of the reverse proxies in front of Hedwig, comma-separated. */
export function trustedProxies(env: Record<string, string | undefined> = process.env): ReadonlySet<string> {
  return new Set((env.HEDWIG_TRUSTED_PROXIES ?? "").split(",").map(normal).filter(Boolean));
}

/**
 * The address a sign-in or an API call came from, for throttling and the audit: the socket's peer.
 * X-Forwarded-For is read only when that peer is a trusted proxy, and then right to left, past the
 * trusted proxies, to the first hop none of them is: everything left of it the client could write.
 * Null when the peer is unknown (not served through scripts/serve.ts).
 */
export function clientAddress(headers: Record<string, unknown> | undefined, trusted = trustedProxies()): string | null {
  const peer = normal(header(headers, PEER_HEADER));
  if (!peer) return null;
  let client = peer;
  if (trusted.has(peer)) {
    const hops = header(headers, "x-forwarded-for").split(",").map(normal).filter(Boolean);
    while (trusted.has(client) && hops.length) client = hops.pop()!;
  }
  return client.slice(0, 64);
}
