import { TRPCError } from "@trpc/server";
import { beforeAll, describe, expect, it } from "vitest";
import { appRouter, createCaller } from "../../server/api/root";
import { createContext } from "../../server/api/trpc";
import type { Db } from "../../server/db/client";
import type { Actor } from "../../server/domain/access/actor";
import { freshDatabase, makeActor } from "./db";
import { inputsFor } from "./hostile-inputs";

/**
 * Every procedure of the app router, called as each role with hostile inputs derived from its own
 * zod schema: none may answer a 5xx, and a refused mutation may write nothing (every table's row
 * count, the audit trail included, is the same before and after it).
 */
let db: Db;
const actors: Actor[] = [];

type Procedure = { _def: { type: "query" | "mutation" | "subscription"; inputs: unknown[] } };
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, Procedure>);

/** Per procedure; with 4 roles and ~130 procedures this keeps the walk near a minute on 2 cores. */
const INPUTS_PER_PROCEDURE = 16;

/**
 * Refusals that record the attempt by design (the outcome of a test is kept for the DBA), so a
 * changed row count there is the feature, not a partial write.
 */
const RECORDS_ITS_REFUSAL = new Set(["hosts.testCredential", "monitoring.testWebhook"]);

/** Anything tRPC maps to a status ≥ 500. */
const SERVER_ERRORS = new Set(["TIMEOUT", "INTERNAL_SERVER_ERROR", "NOT_IMPLEMENTED", "BAD_GATEWAY", "SERVICE_UNAVAILABLE", "GATEWAY_TIMEOUT"]);

let countsSql = "";
async function rowCounts(): Promise<string> {
  const rows = await db.$queryRawUnsafe<{ t: string; n: bigint }[]>(countsSql);
  return rows.map((r) => `${r.t}=${r.n}`).join(",");
}

beforeAll(async () => {
  let url: string;
  ({ db, url } = await freshDatabase());
  // The routers that queue jobs send them to this database's queue (no worker runs here).
  process.env.DATABASE_URL = url;
  // Actors' ids far from the small ids the walk sends, so a walk that disables "user 1" does not lock itself out.
  await db.$executeRawUnsafe(`ALTER SEQUENCE "User_id_seq" RESTART WITH 500000`);
  const dept = await db.department.create({ data: { code: "walk", name: "Walk" } });
  const line = await db.productLine.create({ data: { code: "walk-line", name: "Walk line", departmentId: dept.id, importance: 2 } });
  const idc = await db.idc.create({ data: { code: "walk", name: "walk", region: "cn-walk" } });
  const rack = await db.rack.create({ data: { idcId: idc.id, code: "r1" } });
  const host = await db.host.create({
    data: { ip: "127.0.104.1", hostname: "walk-h1", rackId: rack.id, cpuCores: 16, memoryMb: 16384, diskGb: 500, bandwidthMbps: 10000, tier: "MIXED" },
  });
  const service = await db.service.create({ data: { name: "walk-redis", productLineId: line.id, kind: "REDIS_STANDALONE", status: "ONLINE" } });
  await db.instance.create({
    data: { serviceId: service.id, hostId: host.id, port: 16379, software: "REDIS", role: "MASTER", version: "7.0.15", state: "UNKNOWN", maxmemoryMb: 1024 },
  });
  for (const role of ["ADMIN", "DBA", "NOC", "BUSINESS"] as const) actors.push(await makeActor(db, role, role === "BUSINESS" ? [line.id] : []));
  const tables = await db.$queryRaw<
    { tablename: string }[]
  >`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY 1`;
  countsSql = tables.map((t) => `SELECT '${t.tablename}' AS t, count(*) AS n FROM "${t.tablename}"`).join(" UNION ALL ");
});

/** A call that hangs is a failure too: a hostile input must not hold a connection or the event loop. */
const CALL_TIMEOUT_MS = 10_000;

async function call(actor: Actor, path: string, input: unknown): Promise<unknown> {
  let target: unknown = createCaller(createContext(actor.id, db));
  for (const part of path.split(".")) target = (target as Record<string, unknown>)[part];
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new TRPCError({ code: "TIMEOUT", message: `no answer in ${CALL_TIMEOUT_MS} ms` })), CALL_TIMEOUT_MS);
  });
  try {
    return await Promise.race([(target as (i: unknown) => Promise<unknown>)(input), hung]);
  } finally {
    clearTimeout(timer);
  }
}

describe("every procedure with hostile inputs, as every role", () => {
  it("never answers a 5xx, and a refused mutation writes nothing", { timeout: 240_000 }, async () => {
    const started = Date.now();
    const failures: string[] = [];
    let calls = 0;
    let refused = 0;
    let inputs = 0;
    const slowest: [string, number][] = [];
    for (const [i, [path, proc]] of procedures.entries()) {
      if (proc._def.type === "subscription") continue;
      const samples = inputsFor(proc._def.inputs[0], INPUTS_PER_PROCEDURE, 1000 + i);
      inputs += samples.length;
      const mutation = proc._def.type === "mutation";
      const t0 = Date.now();
      // Every role is tried once; the walk goes on with the roles the procedure lets in (a role
      // refused by its guard is refused before the input is even read).
      const admitted: Actor[] = [];
      for (const actor of actors) {
        calls++;
        const e = await call(actor, path, undefined).then(
          () => null,
          (err: unknown) => err,
        );
        if (e instanceof TRPCError && e.code === "FORBIDDEN" && /this needs the role/.test(e.message)) refused++;
        else admitted.push(actor);
      }
      for (const input of samples) {
        for (const actor of admitted) {
          // An input its schema refuses never reaches the procedure's body: only the others can write.
          const reachesBody =
            mutation && (proc._def.inputs[0] as { safeParse?: (v: unknown) => { success: boolean } } | undefined)?.safeParse?.(input).success !== false;
          const before = reachesBody ? await rowCounts() : "";
          calls++;
          try {
            await call(actor, path, input);
          } catch (e) {
            refused++;
            const code = e instanceof TRPCError ? e.code : "INTERNAL_SERVER_ERROR";
            const shown = JSON.stringify(input)?.slice(0, 200);
            if (process.env.WALK_DEBUG) console.error(path, actor.role, code, (e as Error).message.slice(0, 120));
            if (SERVER_ERRORS.has(code)) {
              failures.push(
                `${path} as ${actor.role} with ${shown}: ${code} ${(e as Error).message.slice(0, 200)} ${String((e as { cause?: unknown }).cause).slice(0, 200)}`,
              );
            } else if (reachesBody && !RECORDS_ITS_REFUSAL.has(path)) {
              const after = await rowCounts();
              if (after !== before) failures.push(`${path} as ${actor.role} was refused (${code}) but wrote rows: ${diff(before, after)} with ${shown}`);
            }
          }
        }
      }
      slowest.push([path, Date.now() - t0]);
    }
    slowest.sort((a, b) => b[1] - a[1]);
    console.log("slowest procedures (ms):", JSON.stringify(slowest.slice(0, 8)));
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      JSON.stringify({ name: "hostile-walk", procedures: procedures.length, inputs, calls, refused, failures: failures.length, seconds: Number(seconds) }),
    );
    expect(failures.slice(0, 40)).toEqual([]);
  });
});

function diff(before: string, after: string): string {
  const b = new Map(before.split(",").map((x) => x.split("=") as [string, string]));
  return after
    .split(",")
    .map((x) => x.split("=") as [string, string])
    .filter(([t, n]) => b.get(t) !== n)
    .map(([t, n]) => `${t} ${b.get(t)}→${n}`)
    .join(" ");
}
