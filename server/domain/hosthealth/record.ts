import type { DbTx } from "../../db/client";

type Placed = { serviceId: number; service: string; instanceId: number; role: string; port: number; outcome?: string };

/**
 * After each host probe: opens a HostCrash for a host that stopped answering (with what it is and
 * the services on it), closes it when the host answers again (with what became of each service's
 * instance there), and adds this tick to the day's per-IDC sums of hosts, online and schedulable.
 */
export async function recordHostHealth(db: DbTx, now: Date): Promise<{ opened: number; closed: number }> {
  const opened = await db.$executeRawUnsafe(
    `INSERT INTO "HostCrash" ("hostId", "startedAt", "idcId", "rackId", "model", "kernel", "os", "services")
     SELECT h."id", p."since", r."idcId", h."rackId",
            coalesce(h."labels"->>'model', h."facts"->>'productModel', '?'), coalesce(h."facts"->>'kernel', '?'), coalesce(h."facts"->>'os', '?'),
            coalesce((SELECT jsonb_agg(jsonb_build_object('serviceId', s."id", 'service', s."name", 'instanceId', i."id", 'role', i."role", 'port', i."port") ORDER BY s."name", i."port")
                      FROM "Instance" i JOIN "Service" s ON s."id" = i."serviceId" WHERE i."hostId" = h."id"), '[]'::jsonb)
     FROM "Host" h JOIN "HostProbe" p ON p."hostId" = h."id" JOIN "Rack" r ON r."id" = h."rackId"
     WHERE NOT p."reachable" AND h."status" <> 'OFFLINE'
       AND NOT EXISTS (SELECT 1 FROM "HostCrash" c WHERE c."hostId" = h."id" AND c."endedAt" IS NULL)`,
  );
  const ending = await db.$queryRawUnsafe<{ id: number; services: Placed[] }[]>(
    `SELECT c."id", c."services" FROM "HostCrash" c JOIN "HostProbe" p ON p."hostId" = c."hostId"
     WHERE c."endedAt" IS NULL AND p."reachable"`,
  );
  if (ending.length) {
    const ids = ending.flatMap((c) => c.services.map((s) => s.instanceId));
    const now_ = await db.instance.findMany({ where: { id: { in: ids } }, select: { id: true, role: true, state: true, hostId: true } });
    const byId = new Map(now_.map((i) => [i.id, i]));
    for (const c of ending) {
      const services = c.services.map((s) => ({ ...s, outcome: outcomeOf(s, byId.get(s.instanceId)) }));
      await db.hostCrash.update({ where: { id: c.id }, data: { endedAt: now, services } });
    }
  }
  await db.$executeRawUnsafe(
    `INSERT INTO "HostHealthDay" ("day", "idcId", "ticks", "hostSum", "onlineSum", "schedulableSum")
     SELECT ($1::timestamptz AT TIME ZONE 'UTC')::date, r."idcId", 1, count(*)::int,
            count(*) FILTER (WHERE coalesce(p."reachable", true))::int,
            count(*) FILTER (WHERE coalesce(p."reachable", true) AND h."status" = 'ONLINE')::int
     FROM "Host" h JOIN "Rack" r ON r."id" = h."rackId" LEFT JOIN "HostProbe" p ON p."hostId" = h."id"
     WHERE h."status" <> 'OFFLINE'
     GROUP BY r."idcId"
     ON CONFLICT ("day", "idcId") DO UPDATE SET "ticks" = "HostHealthDay"."ticks" + 1, "hostSum" = "HostHealthDay"."hostSum" + excluded."hostSum",
       "onlineSum" = "HostHealthDay"."onlineSum" + excluded."onlineSum", "schedulableSum" = "HostHealthDay"."schedulableSum" + excluded."schedulableSum"
     WHERE NOT "HostHealthDay"."isDemo"`,
    now.toISOString(),
  );
  return { opened, closed: ending.length };
}

/** What became of an instance on a host that crashed: failed over, back, removed, or its state now. */
export function outcomeOf(before: Pick<Placed, "role">, now: { role: string; state: string } | undefined): string {
  if (!now) return "removed";
  if (before.role === "MASTER" && now.role === "REPLICA") return "failedOver";
  if (now.state === "RUNNING") return "recovered";
  return now.state.toLowerCase();
}
