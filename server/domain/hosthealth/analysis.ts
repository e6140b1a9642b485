import { z } from "zod";
import type { DbTx } from "../../db/client";
import { dateSchema } from "../bounds";
import { badInput } from "../errors";
import { text } from "../../../lib/text";

const DAY = 86_400_000;
export const GROUP_BY = ["idc", "rack", "model", "kernel", "os"] as const;
export type GroupBy = (typeof GROUP_BY)[number];

export const rangeInput = z.object({ from: dateSchema("from"), to: dateSchema("to") });
export const groupsInput = rangeInput.extend({ by: z.enum(GROUP_BY) });

function checkRange(from: Date, to: Date) {
  if (!(from < to)) throw badInput(text("refusals.hostHealth.rangeOrder"));
  if (to.getTime() - from.getTime() > 800 * DAY) throw badInput(text("refusals.hostHealth.rangeTooLong", { days: 800 }));
}

/**
 * Daily crash, schedulable and online rates, fleet-wide and per IDC. Online and schedulable are the
 * day's averages over the probe ticks; the crash rate is the hosts that crashed that day over the
 * day's average number of hosts.
 */
export async function healthTrends(db: DbTx, input: { from: Date; to: Date }) {
  checkRange(input.from, input.to);
  const rows = await db.$queryRaw<{ day: Date; idcId: number; code: string; hosts: number; online: number; schedulable: number; crashed: number }[]>`
    WITH d AS (
      SELECT "day", "idcId", "hostSum"::float8 / "ticks" AS hosts, "onlineSum"::float8 / "hostSum" AS online, "schedulableSum"::float8 / "hostSum" AS schedulable
      FROM "HostHealthDay" WHERE "day" >= ${input.from}::date AND "day" <= ${input.to}::date AND "hostSum" > 0
    ),
    c AS (
      SELECT ("startedAt" AT TIME ZONE 'UTC')::date AS day, "idcId", count(DISTINCT "hostId")::int AS crashed
      FROM "HostCrash" WHERE "startedAt" >= ${input.from} AND "startedAt" < ${input.to} GROUP BY 1, 2
    )
    SELECT d."day", d."idcId", i."code", d.hosts, d.online, d.schedulable, coalesce(c.crashed, 0)::int AS crashed
    FROM d JOIN "Idc" i ON i."id" = d."idcId" LEFT JOIN c ON c.day = d."day" AND c."idcId" = d."idcId"
    ORDER BY d."day", i."code"`;
  const days = new Map<string, { hosts: number; online: number; schedulable: number; crashed: number }>();
  const idcs = new Map<number, { idcId: number; code: string; points: { day: string; online: number; schedulable: number; crash: number }[] }>();
  for (const r of rows) {
    const day = r.day.toISOString().slice(0, 10);
    const f = days.get(day) ?? { hosts: 0, online: 0, schedulable: 0, crashed: 0 };
    f.hosts += r.hosts;
    f.online += r.online * r.hosts;
    f.schedulable += r.schedulable * r.hosts;
    f.crashed += r.crashed;
    days.set(day, f);
    let idc = idcs.get(r.idcId);
    if (!idc) idcs.set(r.idcId, (idc = { idcId: r.idcId, code: r.code, points: [] }));
    idc.points.push({ day, online: r.online, schedulable: r.schedulable, crash: r.hosts > 0 ? r.crashed / r.hosts : 0 });
  }
  const fleet = [...days].map(([day, f]) => ({ day, online: f.online / f.hosts, schedulable: f.schedulable / f.hosts, crash: f.crashed / f.hosts }));
  return { fleet, idcs: [...idcs.values()] };
}

const HOST_KEY: Record<GroupBy, string> = {
  idc: `i."code"`,
  rack: `i."code" || '/' || r."code"`,
  model: `coalesce(h."labels"->>'model', h."facts"->>'productModel', '?')`,
  kernel: `coalesce(h."facts"->>'kernel', '?')`,
  os: `coalesce(h."facts"->>'os', '?')`,
};
const CRASH_KEY: Record<GroupBy, string> = { idc: `i."code"`, rack: `i."code" || '/' || r."code"`, model: `c."model"`, kernel: `c."kernel"`, os: `c."os"` };

/** A group is flagged when its rate is at least double both its own in the period before and the rest of the fleet's, with this many crashes. */
export const JUMP_FACTOR = 2;
export const JUMP_MIN_CRASHES = 3;

/**
 * Crashes over a range grouped by IDC, rack, model, kernel or OS (as the host was when it crashed),
 * each group's rate (hosts that crashed ÷ hosts in the group) beside the same-length period before,
 * flagged when the rate jumped.
 */
export async function crashGroups(db: DbTx, input: { from: Date; to: Date; by: GroupBy }) {
  checkRange(input.from, input.to);
  const span = input.to.getTime() - input.from.getTime();
  const before = new Date(input.from.getTime() - span);
  const hosts = await db.$queryRawUnsafe<{ key: string; hosts: number }[]>(
    `SELECT ${HOST_KEY[input.by]} AS key, count(*)::int AS hosts FROM "Host" h JOIN "Rack" r ON r."id" = h."rackId" JOIN "Idc" i ON i."id" = r."idcId" GROUP BY 1`,
  );
  const crashes = await db.$queryRawUnsafe<{ key: string; now: number; nowHosts: number; prev: number; prevHosts: number }[]>(
    `SELECT ${CRASH_KEY[input.by]} AS key,
            count(*) FILTER (WHERE c."startedAt" >= $1::timestamptz)::int AS now,
            count(DISTINCT c."hostId") FILTER (WHERE c."startedAt" >= $1::timestamptz)::int AS "nowHosts",
            count(*) FILTER (WHERE c."startedAt" < $1::timestamptz)::int AS prev,
            count(DISTINCT c."hostId") FILTER (WHERE c."startedAt" < $1::timestamptz)::int AS "prevHosts"
     FROM "HostCrash" c JOIN "Rack" r ON r."id" = c."rackId" JOIN "Idc" i ON i."id" = c."idcId"
     WHERE c."startedAt" >= $2::timestamptz AND c."startedAt" < $3::timestamptz GROUP BY 1`,
    input.from.toISOString(),
    before.toISOString(),
    input.to.toISOString(),
  );
  const sizes = new Map(hosts.map((h) => [h.key, h.hosts]));
  const totalHosts = hosts.reduce((n, h) => n + h.hosts, 0);
  const crashedHosts = crashes.reduce((n, c) => n + c.nowHosts, 0);
  const fleetRate = totalHosts ? crashedHosts / totalHosts : 0;
  const keys = new Set([...sizes.keys(), ...crashes.map((c) => c.key)]);
  const byKey = new Map(crashes.map((c) => [c.key, c]));
  const groups = [...keys].map((key) => {
    const c = byKey.get(key);
    const n = sizes.get(key) ?? 0;
    const rate = n ? (c?.nowHosts ?? 0) / n : 0;
    const prevRate = n ? (c?.prevHosts ?? 0) / n : 0;
    // against the rest of the fleet, not the fleet with the group in it: a bad model would raise its own bar
    const restRate = totalHosts - n > 0 ? (crashedHosts - (c?.nowHosts ?? 0)) / (totalHosts - n) : 0;
    const jumped = (c?.now ?? 0) >= JUMP_MIN_CRASHES && rate >= JUMP_FACTOR * Math.max(prevRate, restRate);
    return { key, hosts: n, crashes: c?.now ?? 0, crashedHosts: c?.nowHosts ?? 0, rate, prevCrashes: c?.prev ?? 0, prevRate, jumped };
  });
  groups.sort((a, b) => Number(b.jumped) - Number(a.jumped) || b.rate - a.rate || a.key.localeCompare(b.key));
  return { by: input.by, fleetRate, hosts: totalHosts, groups };
}

/** The crashes of a range, newest first, with the services that were on each host and what became of them. */
export async function crashList(db: DbTx, input: { from: Date; to: Date; by?: GroupBy; key?: string | null }) {
  checkRange(input.from, input.to);
  const filter = input.by && input.key ? `AND ${CRASH_KEY[input.by]} = $3` : "";
  return db.$queryRawUnsafe<
    {
      id: number;
      hostId: number;
      ip: string;
      idc: string;
      rack: string;
      model: string;
      kernel: string;
      os: string;
      startedAt: Date;
      endedAt: Date | null;
      services: unknown;
    }[]
  >(
    `SELECT c."id", c."hostId", h."ip", i."code" AS idc, r."code" AS rack, c."model", c."kernel", c."os", c."startedAt", c."endedAt", c."services"
     FROM "HostCrash" c JOIN "Host" h ON h."id" = c."hostId" JOIN "Rack" r ON r."id" = c."rackId" JOIN "Idc" i ON i."id" = c."idcId"
     WHERE c."startedAt" >= $1::timestamptz AND c."startedAt" < $2::timestamptz ${filter}
     ORDER BY c."startedAt" DESC LIMIT 200`,
    input.from.toISOString(),
    input.to.toISOString(),
    ...(filter ? [input.key] : []),
  );
}
