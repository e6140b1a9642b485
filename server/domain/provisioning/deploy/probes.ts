import { Redis } from "ioredis";
import type { RedisAuth } from "../../credentials/model";
import { tcpRead } from "../../monitoring/tcp-read";
import { text } from "../../../../lib/text";
import { precondition } from "../../errors";

/** Talks to a running instance: Hedwig's check that what it deployed works as a client would see it. */

/** A Redis, Sentinel or Twemproxy address with the login to use there (null: none known). */
export type RedisEndpoint = { ip: string; port: number; auth: RedisAuth | null };

/** ioredis's login options: a null username logs in as Redis's default user (AUTH <password>, all Twemproxy understands). */
export const authOptions = (auth: RedisAuth | null) => (auth ? { ...(auth.username ? { username: auth.username } : {}), password: auth.password } : {});

export async function withRedis<T>({ ip, port, auth }: RedisEndpoint, fn: (r: Redis) => Promise<T>): Promise<T> {
  // RESP2 with no handshake: Twemproxy closes the connection on HELLO 3, INFO (the ready check) and CLIENT SETINFO.
  const r = new Redis({
    host: ip,
    port,
    ...authOptions(auth),
    lazyConnect: true,
    protocol: 2,
    enableReadyCheck: false,
    disableClientInfo: true,
    connectTimeout: 3000,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // connect() rejects with "Connection is closed."; the cause (refused, timed out) comes as an error event, unhandled otherwise
  let cause: Error | null = null;
  r.on("error", (e: Error) => (cause = e));
  await r.connect().catch((e: Error) => {
    throw cause ?? e;
  });
  try {
    return await fn(r);
  } finally {
    r.disconnect();
  }
}

/** Waits until a replica reports its link to the master up (it has synced). */
export async function waitReplicaLinked(e: RedisEndpoint, timeoutMs: number): Promise<void> {
  const { ip, port } = e;
  const until = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < until) {
    last = await withRedis(e, (r) => r.info("replication")).catch((e: Error) => e.message);
    if (/master_link_status:up/.test(last)) return;
    await new Promise((res) => setTimeout(res, 200));
  }
  throw precondition(
    text("jobErrors.probes.replicaNotSynced", {
      address: `${ip}:${port}`,
      seconds: timeoutMs / 1000,
      status: last.match(/master_link_status:\w+/)?.[0] ?? last,
    }),
  );
}

/** Asks a Sentinel which master it watches under `name`. */
export async function sentinelMaster(e: RedisEndpoint, name: string): Promise<string> {
  const { ip, port } = e;
  return withRedis(e, async (r) => {
    const addr = (await r.call("SENTINEL", "get-master-addr-by-name", name)) as string[] | null;
    if (!addr) throw precondition(text("jobErrors.probes.sentinelUnknown", { address: `${ip}:${port}`, name }));
    return `${addr[0]}:${addr[1]}`;
  });
}

/**
 * Waits until SENTINEL CKQUORUM says the Sentinels can fail `name` over: they found each other (hello
 * messages every 2 s) and enough are up to agree and elect a leader.
 */
export async function waitSentinelQuorum(e: RedisEndpoint, name: string, timeoutMs: number): Promise<string> {
  const until = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < until) {
    try {
      return String(await withRedis(e, (r) => r.call("SENTINEL", "CKQUORUM", name)));
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((res) => setTimeout(res, 500));
  }
  throw precondition(text("jobErrors.probes.noQuorum", { name, seconds: timeoutMs / 1000, why: last }));
}

/** PING, then a write and a read of a probe key, then its removal: through whatever entry is given. */
export async function verifyRedis(e: RedisEndpoint): Promise<string> {
  const { ip, port } = e;
  return withRedis(e, async (r) => {
    const key = `hedwig:probe:${Date.now()}`;
    const pong = await r.ping();
    await r.set(key, "ok", "EX", 60);
    const got = await r.get(key);
    await r.del(key);
    if (got !== "ok") throw precondition(text("jobErrors.probes.readBack", { key, address: `${ip}:${port}`, got: JSON.stringify(got) }));
    return `${pong}; SET/GET ${key} ok`;
  });
}

/** One request/response of Memcached's text protocol. */
const memcachedExchange = (ip: string, port: number, request: string, done: (buffer: string) => boolean) => tcpRead(ip, port, 3000, request, done);

export async function verifyMemcached(ip: string, port: number): Promise<string> {
  const key = `hedwig-probe-${Date.now()}`;
  const stored = await memcachedExchange(ip, port, `set ${key} 0 60 2\r\nok\r\n`, (b) => b.includes("\r\n"));
  if (!stored.startsWith("STORED")) throw precondition(text("jobErrors.probes.memcachedSet", { address: `${ip}:${port}`, answer: stored.trim() }));
  const got = await memcachedExchange(ip, port, `get ${key}\r\n`, (b) => b.includes("END\r\n"));
  if (!got.includes("\r\nok\r\n")) throw precondition(text("jobErrors.probes.memcachedGet", { key, address: `${ip}:${port}`, answer: got.trim() }));
  await memcachedExchange(ip, port, `delete ${key}\r\n`, (b) => b.includes("\r\n"));
  return `set/get ${key} ok`;
}
