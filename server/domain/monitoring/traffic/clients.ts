import net from "node:net";
import { Redis } from "ioredis";
import { authOptions, type RedisEndpoint } from "../../provisioning/deploy/probes";

/** A minimal load client: a batch of reads and writes, answered in order. */
export type LoadClient = { batch: (ops: { read: boolean; key: string }[]) => Promise<number>; close: () => void };

const VALUE = "hedwig-demo-traffic-".padEnd(64, "x");

/** Through ioredis in RESP2 without a handshake, so it works through Twemproxy as well; as the application logs in. */
export async function redisLoadClient({ ip, port, auth }: RedisEndpoint): Promise<LoadClient> {
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
    retryStrategy: () => null,
  });
  await r.connect();
  return {
    batch: async (ops) => {
      const p = r.pipeline();
      for (const op of ops) {
        if (op.read) p.get(op.key);
        else p.set(op.key, VALUE, "EX", 3600);
      }
      const res = (await p.exec()) ?? [];
      return res.filter(([err]) => !err).length;
    },
    close: () => r.disconnect(),
  };
}

/** Memcached's text protocol, pipelined: one write per batch, then count the answers. */
export async function memcachedLoadClient(host: string, port: number): Promise<LoadClient> {
  const socket = net.connect({ host, port });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  let buffer = "";
  let waiting: { left: number; ok: number; resolve: (n: number) => void; reject: (e: Error) => void } | null = null;
  socket.on("data", (d) => {
    buffer += d.toString("latin1");
    let nl: number;
    while (waiting && (nl = buffer.indexOf("\r\n")) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 2);
      // A get answers VALUE …, the data line, then END; a set answers STORED.
      if (line === "END" || line === "STORED") {
        waiting.left--;
        waiting.ok++;
      } else if (/^(ERROR|CLIENT_ERROR|SERVER_ERROR|NOT_STORED)/.test(line)) waiting.left--;
      if (waiting.left === 0) {
        const w = waiting;
        waiting = null;
        w.resolve(w.ok);
      }
    }
  });
  socket.on("error", (e) => waiting?.reject(e));
  return {
    batch: (ops) =>
      new Promise<number>((resolve, reject) => {
        if (ops.length === 0) return resolve(0);
        waiting = { left: ops.length, ok: 0, resolve, reject };
        socket.write(ops.map((op) => (op.read ? `get ${op.key}\r\n` : `set ${op.key} 0 3600 ${VALUE.length}\r\n${VALUE}\r\n`)).join(""));
      }),
    close: () => socket.destroy(),
  };
}
