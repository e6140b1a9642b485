import { createHash } from "node:crypto";

/**
 * Twemproxy's key distribution (`hash: fnv1a_64`, `distribution: ketama`), reproduced so Hedwig
 * knows which shard holds a key without asking a proxy: a reshard moves exactly the keys whose
 * owner changes. Written from nutcracker 0.5's hashkit (nc_fnv.c, nc_ketama.c, nc_md5.c, and how
 * nc_conf.c names a server); the integration test checks it against a live nutcracker.
 */

/**
 * nutcracker's fnv1a_64: the 64-bit FNV constants truncated to 32 bits and 32-bit arithmetic
 * throughout. Each byte goes through C's `(uint32_t)(char)`, and char is signed on x86-64, so a
 * byte ≥ 0x80 is sign-extended (0xFFFFFFxx) before the xor.
 */
export function fnv1a64(key: Uint8Array): number {
  let hash = 0x84222325; // (uint32_t) 0xcbf29ce484222325
  for (const byte of key) {
    hash = (hash ^ (byte >= 0x80 ? byte | 0xffffff00 : byte)) >>> 0;
    hash = Math.imul(hash, 0x1b3) >>> 0; // (uint32_t) 0x100000001b3
  }
  return hash;
}

export type KetamaServer = {
  /** the name after the address in nutcracker.yml (Hedwig always gives one) */
  name?: string;
  ip: string;
  port: number;
  weight: number;
};

/** What nutcracker hashes for a server: its name, else `ip:port` (just `ip` on 11211, libmemcached's habit). */
export function ketamaName(s: KetamaServer): string {
  if (s.name) return s.name;
  return s.port === 11211 ? s.ip : `${s.ip}:${s.port}`;
}

const POINTS_PER_SERVER = 160;
const POINTS_PER_HASH = 4;
/**
 * nutcracker formats `<name>-<i>` into a buffer of this size but hashes snprintf's untruncated
 * length, so a longer point name hashes bytes past the buffer: no reproducible routing to follow.
 */
const MAX_HOSTLEN = 86;

export type Continuum = { values: Uint32Array; servers: Uint16Array };

/** The sorted points of a pool: each server gets 160 × its weight share (a multiple of 4), 4 per MD5 of `<name>-<i>`. */
export function buildContinuum(servers: KetamaServer[]): Continuum {
  if (servers.length === 0) throw new Error("a pool needs at least one server");
  const total = servers.reduce((n, s) => n + s.weight, 0);
  const f = Math.fround;
  const points: { value: number; server: number }[] = [];
  servers.forEach((s, index) => {
    // C's float arithmetic step by step: pct * 160 / 4 * nlive + 1e-10, floorf, × 4
    const pct = f(f(s.weight) / f(total));
    const scaled = f(f(f(pct * POINTS_PER_SERVER) / 4) * f(servers.length));
    const perServer = Math.floor(f(scaled + 0.0000000001)) * 4;
    const name = ketamaName(s);
    for (let i = 0; i < perServer / POINTS_PER_HASH; i++) {
      const host = Buffer.from(`${name}-${i}`);
      if (host.length >= MAX_HOSTLEN) throw new Error(`server name ${name} is too long for Twemproxy's ketama (at most ${MAX_HOSTLEN - 5} bytes)`);
      const digest = createHash("md5").update(host).digest();
      for (let x = 0; x < POINTS_PER_HASH; x++) points.push({ value: digest.readUInt32LE(x * 4), server: index });
    }
  });
  points.sort((a, b) => a.value - b.value);
  return { values: Uint32Array.from(points, (p) => p.value), servers: Uint16Array.from(points, (p) => p.server) };
}

/** The first point at or after the hash, wrapping to the first: the index of the server that owns it. */
export function dispatch(c: Continuum, hash: number): number {
  let left = 0;
  let right = c.values.length;
  while (left < right) {
    const middle = (left + right) >>> 1;
    if (c.values[middle]! < hash) left = middle + 1;
    else right = middle;
  }
  return c.servers[right === c.values.length ? 0 : right]!;
}

/** The index (in the pool's server order) of the server nutcracker sends this key to. */
export function ownerOf(c: Continuum, serverCount: number, key: Uint8Array | string): number {
  const bytes = typeof key === "string" ? Buffer.from(key) : key;
  // nutcracker skips hashing for a one-server pool and for an empty key (hash 0)
  if (serverCount === 1 || bytes.length === 0) return dispatch(c, 0);
  return dispatch(c, fnv1a64(bytes));
}

/** One pool's routing: build once, then ask per key. */
export function ketamaRouter(servers: KetamaServer[]): (key: Uint8Array | string) => number {
  const c = buildContinuum(servers);
  return (key) => ownerOf(c, servers.length, key);
}
