import net from "node:net";

/**
 * Sends `request` (if any) and reads until `done(text)` says the answer is complete or the server
 * closes. Memcached's `stats` is one line out and STAT lines back; Twemproxy's stats port writes
 * its JSON and closes: a client library would add nothing to either (memcached clients expose
 * get/set, not the text protocol's stats, and Twemproxy's stats port speaks no protocol at all).
 */
export function tcpRead(host: string, port: number, timeoutMs: number, request: string | null, done: (text: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (err: Error | null) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      if (err) reject(err);
      else resolve(Buffer.concat(chunks).toString("utf8"));
    };
    socket.setTimeout(timeoutMs, () => finish(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: "ETIMEDOUT" })));
    socket.once("connect", () => request && socket.write(request));
    socket.on("data", (c) => {
      chunks.push(c);
      if (done(Buffer.concat(chunks).toString("utf8"))) finish(null);
    });
    socket.once("end", () => finish(null));
    socket.once("error", (e) => finish(e));
  });
}

/** A socket or client error in words for a reason ("connection refused", "no answer within 2000 ms"). */
export function errorInWords(e: unknown): string {
  const err = e as { code?: string; message?: string };
  switch (err.code) {
    case "ECONNREFUSED":
      return "connection refused";
    case "ECONNRESET":
      return "connection reset";
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return "host unreachable";
    case "EADDRNOTAVAIL":
      return "address not available";
    default:
      return (err.message ?? String(e)).replace(/^connect /, "").slice(0, 300);
  }
}
