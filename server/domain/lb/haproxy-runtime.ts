import net from "node:net";
import { text } from "../../../lib/text";
import { errorText, precondition } from "../errors";

/**
 * HAProxy's runtime API on a server's admin stats socket: a unix socket with mode 600, so only
 * the user running HAProxy and Hedwig reaches it (a TCP port would let any local user set weights
 * or drain members). One command per connection, the answer until HAProxy closes it. An empty
 * answer means done; any text is HAProxy's complaint.
 */
export function runtimeCommand(socketPath: string, command: string, timeoutMs = 5_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ path: socketPath });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(precondition(text("jobErrors.lb.runtimeTimeout", { socket: socketPath, ms: timeoutMs }))), timeoutMs);
    socket.on("connect", () => socket.end(`${command}\n`));
    socket.on("data", (b: Buffer) => chunks.push(b));
    socket.on("error", (e) => (clearTimeout(timer), reject(precondition(text("jobErrors.lb.runtimeApi", { socket: socketPath, why: errorText(e) })))));
    socket.on("close", () => (clearTimeout(timer), resolve(Buffer.concat(chunks).toString().trim())));
  });
}

/** The worker's pid from `show info`: a reload is done when a new worker answers. */
export async function workerPid(socketPath: string): Promise<number | null> {
  const info = await runtimeCommand(socketPath, "show info", 2_000).catch(() => "");
  const m = /^Pid:\s*(\d+)/m.exec(info);
  return m ? Number(m[1]) : null;
}
