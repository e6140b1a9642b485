import { text } from "../../../lib/text";
import type { Db } from "../../db/client";
import { notFound } from "../errors";
import { runtimeCommand } from "./haproxy-runtime";
import { runtimeSocket } from "./deploy";
import { proxyName } from "./model";

export type LiveMember = { server: string; status: string; weight: number; sessions: number };

/** Rows of HAProxy's `show stat` CSV (header "# pxname,svname,…") as objects. */
export function parseStat(csv: string): Record<string, string>[] {
  const [head, ...rows] = csv.split("\n").filter((l) => l.trim());
  if (!head?.startsWith("# ")) return [];
  const cols = head.slice(2).split(",");
  return rows.map((r) => Object.fromEntries(r.split(",").map((v, i) => [cols[i] ?? String(i), v])));
}

/**
 * How each load balancer sees an application's members right now (HAProxy's runtime API: UP, DOWN,
 * MAINT, DRAIN, current sessions, effective weight), keyed by member id. LVS has no such view here
 * (ipvsadm cannot reach IPVS on these machines): null. A server that does not answer says so.
 */
export async function liveMembers(db: Db, appId: number) {
  const app = await db.lbApplication.findUnique({ where: { id: appId }, include: { pool: { include: { servers: { orderBy: { id: "asc" } } } } } });
  if (!app) throw notFound(text("errors.domain.notFound.application", { id: appId }));
  if (app.pool.backend !== "HAPROXY") return null;
  const byMember: Record<number, LiveMember[]> = {};
  const errors: string[] = [];
  for (const s of app.pool.servers) {
    try {
      const rows = parseStat(await runtimeCommand(runtimeSocket(app.pool, s), `show stat ${proxyName(app)} 4 -1`, 2_000));
      for (const r of rows) {
        const id = Number(r.svname?.replace(/^m-/, ""));
        if (Number.isInteger(id)) (byMember[id] ??= []).push({ server: s.ip, status: r.status ?? "?", weight: Number(r.weight), sessions: Number(r.scur) });
      }
    } catch (e) {
      errors.push(`${s.ip}: ${(e as Error).message}`);
    }
  }
  return { members: byMember, errors };
}
