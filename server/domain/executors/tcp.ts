import net from "node:net";

/**
 * Whether ip:port accepts a TCP connection from this process, retrying refused or failed attempts
 * until timeoutMs has passed (at least one attempt), so callers can wait for a daemon to come up.
 */
export async function isListening(ip: string, port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = deadline - Date.now();
    if (await tryConnect(ip, port, Math.max(left, 200))) return true;
    if (Date.now() + 50 >= deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

function tryConnect(ip: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: ip, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

export type PortTarget = { hostId: number; ip: string; port: number };

/**
 * The targets where something already accepts connections, each tried once (`timeoutMs`, 64 at a
 * time). It is checked from Hedwig, as both executors' isListening is: a port a process Hedwig does
 * not know holds (a DBA's hand-started redis, a demo left by another Hedwig) must not be claimed.
 * An address that does not answer in time counts as free: nothing can be said of it.
 */
export async function listenersAt(targets: readonly PortTarget[], timeoutMs = 300): Promise<PortTarget[]> {
  const busy: PortTarget[] = [];
  for (let i = 0; i < targets.length; i += 64) {
    const batch = targets.slice(i, i + 64);
    const answers = await Promise.all(batch.map((t) => tryConnect(t.ip, t.port, timeoutMs)));
    batch.forEach((t, j) => answers[j] && busy.push(t));
  }
  return busy;
}
