import crypto from "node:crypto";
import net from "node:net";
import { Redis } from "ioredis";
import { errorInWords } from "../monitoring/tcp-read";
import { authOptions, type RedisEndpoint } from "../provisioning/deploy/probes";

/**
 * The canary itself: a write and a read on reserved keys through an address, as a client does.
 * Keys live under CANARY_PREFIX with a short expiry, so they never pile up in a service's data.
 */
export const CANARY_PREFIX = "__hedwig:canary:";
const TTL_SEC = 300;

export type Protocol = "REDIS" | "MEMCACHED";
export interface ProbeResult {
  keys: number;
  failed: number;
  error: string | null;
  latencyMs: number;
}

/**
 * Keys of one probe: several when a proxy spreads them over shards, so a lost shard shows as a share.
 * Their ends are hashed: Twemproxy's fnv1a over names that differ in one last digit puts them all
 * on one shard.
 */
export const canaryKeys = (serviceId: number, n: number) =>
  Array.from({ length: n }, (_, k) => `${CANARY_PREFIX}${serviceId}:${crypto.createHash("sha1").update(`${serviceId}:${k}`).digest("hex").slice(0, 8)}`);

/** SET key value EX … then GET, pipelined; a key fails when either errs or the value read differs. */
export async function probeRedis({ ip, port, auth }: RedisEndpoint, keys: string[], timeoutMs: number): Promise<ProbeResult> {
  const t0 = performance.now();
  // RESP2 and no CLIENT SETINFO: Twemproxy closes the connection on a command it does not know
  const c = new Redis({
    host: ip,
    port,
    ...authOptions(auth),
    lazyConnect: true,
    protocol: 2,
    disableClientInfo: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
    enableReadyCheck: false,
  });
  let cause: Error | null = null;
  c.on("error", (e: Error) => (cause = e));
  try {
    await c.connect().catch((e: Error) => {
      throw cause ?? e;
    });
    const value = String(Date.now());
    const p = c.pipeline();
    for (const k of keys) p.set(k, value, "EX", TTL_SEC);
    for (const k of keys) p.get(k);
    const out = (await p.exec()) ?? [];
    let failed = 0;
    let error: string | null = null;
    keys.forEach((_, i) => {
      const [setErr] = out[i] ?? [new Error("no answer")];
      const [getErr, got] = out[keys.length + i] ?? [new Error("no answer")];
      if (setErr || getErr || got !== value) {
        failed++;
        error ??= setErr ? setErr.message : getErr ? getErr.message : "read a different value than written";
      }
    });
    return { keys: keys.length, failed, error, latencyMs: performance.now() - t0 };
  } catch (e) {
    return { keys: keys.length, failed: keys.length, error: errorInWords(e), latencyMs: performance.now() - t0 };
  } finally {
    c.disconnect();
  }
}

/** Memcached's text protocol (also through Twemproxy): `set` then `get` per key, on one connection. */
export function probeMemcached(ip: string, port: number, keys: string[], timeoutMs: number): Promise<ProbeResult> {
  const t0 = performance.now();
  const value = String(Date.now());
  const request = keys.map((k) => `set ${k} 0 ${TTL_SEC} ${value.length}\r\n${value}\r\n`).join("") + keys.map((k) => `get ${k}\r\n`).join("");
  return new Promise((resolve) => {
    const socket = net.connect({ host: ip, port });
    let text = "";
    let settled = false;
    const finish = (error: string | null) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      const r = parseMemcachedAnswers(text, keys, value);
      const failed = keys.length - r.ok;
      resolve({ keys: keys.length, failed, error: failed ? (r.error ?? error ?? "no answer") : null, latencyMs: performance.now() - t0 });
    };
    socket.setTimeout(timeoutMs, () => finish(`no answer within ${timeoutMs} ms`));
    socket.once("connect", () => socket.write(request));
    socket.on("data", (c) => {
      text += c.toString("utf8");
      if (parseMemcachedAnswers(text, keys, value).answered >= keys.length * 2) finish(null);
    });
    socket.once("end", () => finish("connection closed"));
    socket.once("error", (e) => finish(errorInWords(e)));
  });
}

/**
 * Reads the answers to N sets then N gets: STORED (or an error line) per set; per get a VALUE block
 * and END, or END alone (a miss), or an error line. Counts keys both stored and read back.
 */
export function parseMemcachedAnswers(text: string, keys: string[], value: string): { answered: number; ok: number; error: string | null } {
  const lines = text.split("\r\n");
  if (!text.endsWith("\r\n"))
    lines.pop(); // an unfinished line waits for more
  else lines.pop();
  let i = 0;
  let answered = 0;
  const stored: boolean[] = [];
  let error: string | null = null;
  for (; answered < keys.length && i < lines.length; i++, answered++) {
    stored.push(lines[i] === "STORED");
    if (lines[i] !== "STORED") error ??= lines[i]!;
  }
  let ok = 0;
  for (let k = 0; k < keys.length && i < lines.length; k++) {
    const line = lines[i]!;
    if (line.startsWith("VALUE ")) {
      if (lines[i + 2] === undefined) break; // the block is not complete yet
      const got = lines[i + 1];
      if (stored[k] && got === value) ok++;
      else error ??= "read a different value than written";
      i += 3;
    } else {
      if (line === "END") error ??= "the key written was not found";
      else error ??= line;
      i += 1;
    }
    answered++;
  }
  return { answered, ok, error };
}
