import type { Db } from "../../db/client";
import { isListening } from "../executors/tcp";
import { runtimeSocket } from "./deploy";
import { runtimeCommand } from "./haproxy-runtime";
import { proxyName, serverName } from "./model";
import { text as say } from "../../../lib/text";
import { precondition } from "../errors";

type Log = { info: (m: string) => Promise<void>; warn: (m: string) => Promise<void> };
type Drained = { socket: string; target: string };

/** At most this long a drained proxy waits for its sessions to end, and only while their number falls. */
const DRAIN_GRACE_MS = 2_000;
/** How long the restarted proxy gets to listen before its server is ready again regardless. */
const LISTEN_WAIT_MS = 5_000;

/** `show servers state <backend>`: name, operational state (2 running) and admin state (0 ready) of each server. */
async function serversOf(socket: string, backend: string) {
  const text = await runtimeCommand(socket, `show servers state ${backend}`);
  return text
    .split("\n")
    .map((l) => l.split(" "))
    .filter((f) => f.length > 18 && /^\d+$/.test(f[0]!))
    .map((f) => ({ name: f[3]!, op: Number(f[5]), admin: Number(f[6]) }));
}

/** Open sessions on the drained servers (`show stat` CSV: backend, server, …, current sessions 5th). */
async function sessions(drained: Drained[]): Promise<number> {
  let n = 0;
  for (const d of drained) {
    const csv = await runtimeCommand(d.socket, "show stat").catch(() => "");
    for (const row of csv.split("\n")) {
      const f = row.split(",");
      if (`${f[0]}/${f[1]}` === d.target) n += Number(f[4]) || 0;
    }
  }
  return n;
}

/**
 * Runs fn (a restart of the proxy at ip:port) with the proxy out of every HAProxy VIP in front of
 * it: its server drains on each load-balancer server (new connections go to the other members),
 * its sessions get a moment to end while they do, fn restarts it, and once it listens the server is ready again.
 * The runtime state only, as the follow-failover script does on the proxy's host: the member's
 * recorded state is the DBA's and stays. A VIP with no other member up and ready is left alone
 * (draining its only proxy would refuse every client), and a load balancer that does not answer is
 * passed over with a warning: the restart does not wait for Libra.
 */
export async function withProxyDrained<T>(db: Db, proxy: { ip: string; port: number }, log: Log, fn: () => Promise<T>): Promise<T> {
  const members = await db.lbMember.findMany({
    where: { ip: proxy.ip, port: proxy.port, application: { vip: { isNot: null }, pool: { backend: "HAPROXY" } } },
    select: { id: true, application: { select: { id: true, name: true, pool: { select: { id: true, servers: { select: { ip: true, executor: true } } } } } } },
    orderBy: { id: "asc" },
  });
  const drained: Drained[] = [];
  for (const m of members) {
    const backend = proxyName(m.application);
    const target = `${backend}/${serverName(m)}`;
    for (const server of m.application.pool.servers) {
      const socket = runtimeSocket(m.application.pool, server);
      try {
        const servers = await serversOf(socket, backend);
        if (!servers.some((s) => s.name !== serverName(m) && s.op === 2 && s.admin === 0)) {
          await log.info(`${server.ip}: ${m.application.name} has no other proxy up and ready; ${proxy.ip}:${proxy.port} restarts without draining`);
          continue;
        }
        const answer = await runtimeCommand(socket, `set server ${target} state drain`);
        if (answer) throw new Error(answer);
        drained.push({ socket, target });
        await log.info(`${server.ip}: ${m.application.name} drains ${proxy.ip}:${proxy.port} (new connections go to its other proxies)`);
      } catch (e) {
        await log.warn(`${server.ip}: could not drain ${proxy.ip}:${proxy.port} in ${m.application.name} (${(e as Error).message}); it restarts anyway`);
      }
    }
  }
  // Sessions that end (short connections) get their moment; long-lived ones are cut at the restart and reconnect elsewhere.
  const until = Date.now() + DRAIN_GRACE_MS;
  for (let last = Infinity, still = 0; drained.length > 0 && Date.now() < until && still < 3;) {
    const n = await sessions(drained);
    if (n === 0) break;
    still = n >= last ? still + 1 : 0;
    last = n;
    await new Promise((r) => setTimeout(r, 100));
  }
  try {
    return await fn();
  } finally {
    if (drained.length > 0) {
      await isListening(proxy.ip, proxy.port, LISTEN_WAIT_MS);
      for (const d of drained) {
        const answer = await runtimeCommand(d.socket, `set server ${d.target} state ready`).catch((e: Error) => e.message);
        if (answer) await log.warn(`${d.target}: could not set it ready again (${answer}); the next sync of its pool does`);
      }
      await log.info(`${proxy.ip}:${proxy.port} is ready again in ${drained.length} load balancer(s)`);
    }
  }
}

/** One proxy's server in one load balancer's VIP backend, for a switch that drains and readies several proxies at once. */
export type VipSlot = Drained;

/** Every VIP backend (on every load-balancer server) that serves the proxy at ip:port. */
export async function vipSlotsOf(db: Db, proxy: { ip: string; port: number }): Promise<VipSlot[]> {
  const members = await db.lbMember.findMany({
    where: { ip: proxy.ip, port: proxy.port, application: { vip: { isNot: null }, pool: { backend: "HAPROXY" } } },
    select: { id: true, application: { select: { id: true, name: true, pool: { select: { id: true, servers: { select: { ip: true, executor: true } } } } } } },
  });
  return members.flatMap((m) =>
    m.application.pool.servers.map((server) => ({ socket: runtimeSocket(m.application.pool, server), target: `${proxyName(m.application)}/${serverName(m)}` })),
  );
}

/** Sets the slots drained or ready through the runtime API; a refusal throws (a switch must not half-happen silently). */
export async function setSlots(slots: VipSlot[], state: "drain" | "ready"): Promise<void> {
  for (const s of slots) {
    const answer = await runtimeCommand(s.socket, `set server ${s.target} state ${state}`);
    if (answer) throw precondition(say("jobErrors.lb.refused", { target: s.target, answer }));
  }
}

/** Waits (at most the drain grace) until the drained slots hold no session. */
export async function waitSlotsIdle(slots: VipSlot[]): Promise<number> {
  const until = Date.now() + DRAIN_GRACE_MS;
  let n = await sessions(slots);
  while (n > 0 && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 50));
    n = await sessions(slots);
  }
  return n;
}
