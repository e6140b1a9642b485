import net from "node:net";

/**
 * HAProxy's runtime API on a server's admin stats socket (TCP): one command per connection, the
 * answer until HAProxy closes it. An empty answer means done; any text is HAProxy's complaint.
 */
export function runtimeCommand(ip: string, port: number, command: string, timeoutMs = 5_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: ip, port });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(new Error(`no answer from HAProxy's runtime API on ${ip}:${port} within ${timeoutMs} ms`)), timeoutMs);
    socket.on("connect", () => socket.end(`${command}\n`));
    socket.on("data", (b: Buffer) => chunks.push(b));
    socket.on("error", (e) => (clearTimeout(timer), reject(new Error(`HAProxy runtime API ${ip}:${port}: ${e.message}`))));
    socket.on("close", () => (clearTimeout(timer), resolve(Buffer.concat(chunks).toString().trim())));
  });
}

/** The worker's pid from `show info`: a reload is done when a new worker answers. */
export async function workerPid(ip: string, port: number): Promise<number | null> {
  const info = await runtimeCommand(ip, port, "show info", 2_000).catch(() => "");
  const m = /^Pid:\s*(\d+)/m.exec(info);
  return m ? Number(m[1]) : null;
}
