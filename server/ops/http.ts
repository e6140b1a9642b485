import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Db } from "../db/client";
import { log } from "../log";
import { aliveBody, readinessResponse } from "./health";
import { metricsAnswer } from "./metrics";

/**
 * A worker process's own small HTTP server for probes and scraping (a worker has no Next.js):
 * /healthz, /readyz and /metrics (this process's figures and the queue; the fleet's come from the web processes). Off unless HEDWIG_WORKER_PORT is set; bound to
 * HEDWIG_WORKER_HOST (default 127.0.0.1) so it is not reachable from elsewhere unless asked.
 */
export async function startOpsServer(db: Db, opts: { port: number; host?: string }): Promise<{ port: number; close(): Promise<void> }> {
  const out = log.child({ part: "ops-http" });
  const server = http.createServer((req, res) => {
    const send = (status: number, body: string, contentType = "application/json") => {
      res.writeHead(status, { "content-type": contentType, "cache-control": "no-store" });
      res.end(body);
    };
    const path = (req.url ?? "/").split("?")[0];
    const run = async () => {
      if (req.method !== "GET" && req.method !== "HEAD") return send(405, JSON.stringify({ code: "METHOD_NOT_ALLOWED" }));
      if (path === "/healthz") return send(200, JSON.stringify(aliveBody()));
      if (path === "/readyz") {
        const r = await readinessResponse(db);
        return send(r.status, JSON.stringify(r.body));
      }
      if (path === "/metrics") {
        const headers = new Headers();
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
        const r = await metricsAnswer(db, headers, req.socket.remoteAddress ?? null, { fleet: false });
        return send(r.status, r.body, r.contentType);
      }
      send(404, JSON.stringify({ code: "NOT_FOUND" }));
    };
    run().catch((e: Error) => {
      out.error({ path, err: e.message }, "ops request failed");
      if (!res.headersSent) send(500, JSON.stringify({ code: "INTERNAL_SERVER_ERROR" }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  out.info({ port, host: opts.host ?? "127.0.0.1" }, "worker probes listening");
  return { port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** The port a worker process listens on for probes, from HEDWIG_WORKER_PORT (none: no server). */
export function workerOpsPort(): number | null {
  const raw = process.env.HEDWIG_WORKER_PORT;
  if (!raw) return null;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`HEDWIG_WORKER_PORT must be a port number, not "${raw}"`);
  return port;
}
