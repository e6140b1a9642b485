/**
 * The same list and the same mutation through tRPC (the console's path) and through /api/v1 with a
 * token (trpc-to-openapi over the same procedures), against the demo fleet grown to 3,000 services.
 * Both paths are served the way Next serves them, as fetch handlers on one HTTP server, so the
 * difference is the REST layer: token lookup, route matching, plain JSON instead of superjson.
 * Then `hedwig services ls` over all 3,000 services, wall time of the whole process (tsx start
 * included). Target (issue 14): REST within 1.2× of tRPC. Prints JSON lines; never judges time.
 *   npx tsx bench/run.ts api
 */
import { execFile } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { createTRPCClient, httpLink } from "@trpc/client";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import superjson from "superjson";
import { handleRest } from "../server/api/rest";
import { appRouter, type AppRouter } from "../server/api/root";
import { createContext } from "../server/api/trpc";
import type { Db } from "../server/db/client";
import { loadActor } from "../server/domain/access/actor";
import { createToken } from "../server/domain/tokens/tokens";
import { withScaledFleet } from "./fleet-db";
import { emit, percentiles, time } from "./lib";

export const name = "api";
const SERVICES = 3_000;
const RUNS = 300;
const CLI_RUNS = 5;

export async function run() {
  await withScaledFleet(240, async (db) => {
    const have = await db.service.count();
    const lines = await db.productLine.findMany({ select: { id: true, code: true }, orderBy: { id: "asc" } });
    await db.service.createMany({
      data: Array.from({ length: SERVICES - have }, (_, i) => ({
        name: `bench-api-${i}`,
        productLineId: lines[i % lines.length]!.id,
        kind: "REDIS_SENTINEL" as const,
        status: "ONLINE" as const,
      })),
    });
    await db.$executeRawUnsafe("ANALYZE");
    const dbaUser = await db.user.findFirstOrThrow({ where: { role: "DBA" } });
    const dba = (await loadActor(db, dbaUser.id))!;
    const { secret } = await createToken(db, dba, { name: "bench", role: "DBA", readOnly: false, expiresInDays: 1 });
    const server = await serve(db, dba.id);
    try {
      const trpc = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${server.url}/api/trpc`, transformer: superjson })] });
      const rest = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
        const res = await fetch(`${server.url}/api/v1${path}`, {
          method,
          headers: { authorization: `Bearer ${secret}`, ...(body ? { "content-type": "application/json" } : {}), ...headers },
          body: body ? JSON.stringify(body) : undefined,
        });
        if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
        return res.json();
      };
      const line = lines[0]!;
      const perLine = await db.service.count({ where: { productLineId: line.id } });

      const listTrpc = await measure(() => trpc.services.list.query({ productLine: line.code, pageSize: 100 }));
      const listRest = await measure(() => rest("GET", `/services?productLine=${line.code}&pageSize=100`));
      const context = { services: SERVICES, services_of_line: perLine, page_size: 100 };
      emit({ name: "api.list.trpc", case: "services of one product line", ...context, ...listTrpc });
      emit({ name: "api.list.rest", case: "services of one product line, token", ...context, ...listRest });
      emit({
        name: "api.list.ratio",
        p50_ratio: ratio(listRest.p50_ms, listTrpc.p50_ms),
        p99_ratio: ratio(listRest.p99_ms, listTrpc.p99_ms),
        target_ratio: 1.2,
      });

      const form = {
        productLineId: line.id,
        kind: "MEMCACHED" as const,
        purpose: "bench: a draft request through both paths",
        capacityGb: 1,
        peakQps: 1000,
        expectedKeys: 1000,
        persistence: "none" as const,
        highAvailability: false,
        idcPreference: null,
        readRatio: 80,
      };
      const mutTrpc = await measure(() => trpc.requests.create.mutate({ form, submit: false }), 150);
      const mutRest = await measure(() => rest("POST", "/requests", { form, submit: false }), 150);
      let n = 0;
      const mutRestKey = await measure(() => rest("POST", "/requests", { form, submit: false }, { "idempotency-key": `bench-${n++}` }), 150);
      emit({ name: "api.mutation.trpc", case: "requests.create (a draft: request row and audit)", ...mutTrpc });
      emit({ name: "api.mutation.rest", case: "POST /api/v1/requests, token", ...mutRest });
      emit({ name: "api.mutation.rest_idempotent", case: "POST /api/v1/requests, token, Idempotency-Key (claim and store)", ...mutRestKey });
      emit({
        name: "api.mutation.ratio",
        p50_ratio: ratio(mutRest.p50_ms, mutTrpc.p50_ms),
        p99_ratio: ratio(mutRest.p99_ms, mutTrpc.p99_ms),
        target_ratio: 1.2,
      });

      const cli: number[] = [];
      let rows = 0;
      for (let i = 0; i < CLI_RUNS; i++) {
        cli.push(
          await time(async () => {
            const { stdout } = await promisify(execFile)("node", ["bin/hedwig.mjs", "services", "ls", "-o", "json"], {
              env: { ...process.env, HEDWIG_URL: server.url, HEDWIG_TOKEN: secret, HEDWIG_CONFIG: "/nonexistent" },
              maxBuffer: 64 * 1024 * 1024,
            });
            rows = (JSON.parse(stdout) as unknown[]).length;
          }),
        );
      }
      emit({ name: "api.cli.services_ls", case: "hedwig services ls, every service (pages of 500), whole process", services: rows, ...percentiles(cli) });
    } finally {
      server.close();
    }
  });
}

const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;

async function measure(fn: () => Promise<unknown>, runs = RUNS) {
  for (let i = 0; i < 10; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(await time(fn));
  return percentiles(samples);
}

/** /api/trpc as the session's user (the route's fetch handler) and /api/v1 (the route's handleRest), on one server. */
async function serve(db: Db, userId: number) {
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = chunks.length ? Buffer.concat(chunks) : undefined;
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const request = new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers, body: req.method === "GET" ? undefined : body });
    const answer = req.url!.startsWith("/api/trpc")
      ? await fetchRequestHandler({ endpoint: "/api/trpc", req: request, router: appRouter, createContext: () => createContext(userId, db) })
      : await handleRest(request, async () => null, db);
    res.writeHead(answer.status, Object.fromEntries(answer.headers));
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => (server.closeAllConnections(), server.close()) };
}
