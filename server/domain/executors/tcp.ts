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
