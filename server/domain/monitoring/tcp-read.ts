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

/** Socket errors with a name every DBA reads: health texts put them in the reader's language (i18n/health-text.ts). */
const NAMED: Record<string, string> = {
  ECONNREFUSED: "ECONNREFUSED",
  ECONNRESET: "ECONNRESET",
  EHOSTUNREACH: "EHOSTUNREACH",
  ENETUNREACH: "EHOSTUNREACH",
  EADDRNOTAVAIL: "EADDRNOTAVAIL",
};

/** A socket or client error for a reason: its errno name where it has one (ECONNREFUSED), else its own words. */
export function errorInWords(e: unknown): string {
  const err = e as { code?: string; message?: string };
  return (err.code && NAMED[err.code]) || (err.message ?? String(e)).replace(/^connect /, "").slice(0, 300);
}
