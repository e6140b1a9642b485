import net from "node:net";
import type { DbTx } from "../../db/client";
import { isListening } from "../executors/tcp";
import { errorInWords } from "./tcp-read";

const SSH_PORT = 22;

/**
 * Whether Hedwig can reach a host the way its executor does — by TCP, not ICMP (raw sockets, and a
 * ping says nothing about whether the machine serves). An SSH host is reachable when its SSH port
 * accepts a connection. A local host (the embedded default: a loopback address of this machine)
 * is reachable when a socket can be bound on its address: the address exists here, so the local
 * executor can run processes on it. Whether its instances answer is the collector's business.
 */
export async function probeHost(h: { ip: string; executor: "LOCAL" | "SSH" }, timeoutMs: number): Promise<{ reachable: boolean; error: string | null }> {
  if (h.executor === "SSH") {
    return (await isListening(h.ip, SSH_PORT, timeoutMs))
      ? { reachable: true, error: null }
      : { reachable: false, error: `SSH port ${SSH_PORT} does not accept connections` };
  }
  return bindable(h.ip);
}

function bindable(ip: string): Promise<{ reachable: boolean; error: string | null }> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", (e) => resolve({ reachable: false, error: `address ${ip} is not on this machine: ${errorInWords(e)}` }));
    server.listen(0, ip, () => server.close(() => resolve({ reachable: true, error: null })));
  });
}

/** Probes every host not offline and writes HostProbe (since moves only when reachable changes). */
export async function probeHosts(db: DbTx, now: Date, timeoutMs = 1000): Promise<number> {
  const hosts = await db.host.findMany({
    where: { status: { not: "OFFLINE" } },
    select: { id: true, ip: true, executor: true, probe: true },
  });
  const results: { hostId: number; reachable: boolean; error: string | null; since: Date }[] = [];
  const queue = [...hosts];
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      for (let h = queue.shift(); h; h = queue.shift()) {
        const r = await probeHost(h, timeoutMs);
        results.push({ hostId: h.id, ...r, since: h.probe && h.probe.reachable === r.reachable ? h.probe.since : now });
      }
    }),
  );
  if (results.length === 0) return 0;
  // the scheduler's cached fleet reads reachability: it moves only when a host starts or stops answering
  const before = new Map(hosts.map((h) => [h.id, h.probe?.reachable]));
  const flipped = results.some((r) => before.get(r.hostId) !== r.reachable);
  await db.$executeRawUnsafe(
    `INSERT INTO "HostProbe" ("hostId", "reachable", "probedAt", "since", "error")
     SELECT x."hostId", x."reachable", $2::timestamptz AT TIME ZONE 'UTC', x."since" AT TIME ZONE 'UTC', x."error"
     FROM jsonb_to_recordset($1::jsonb) AS x("hostId" int, "reachable" boolean, "since" timestamptz, "error" text)
     ON CONFLICT ("hostId") DO UPDATE SET "reachable" = excluded."reachable", "probedAt" = excluded."probedAt", "since" = excluded."since", "error" = excluded."error"`,
    JSON.stringify(results),
    now.toISOString(),
  );
  if (flipped) await db.$executeRawUnsafe(`UPDATE "FleetVersion" SET "version" = "version" + 1 WHERE "id" = 1`);
  return results.length;
}
