import type { DbTx } from "../../db/client";

/**
 * Ninety days of generated host health for the demo fleet (all isDemo): per IDC and day the probe
 * sums (online ~99.6 %, a few hosts in maintenance), and crashes drawn per host and day from a hash
 * (2 in 10,000 a day), except the old r5 machines, whose rate jumps over the last ten days — the
 * systemic cause the crash analysis is there to show. Set-based SQL.
 */
export async function insertDemoHostHealth(tx: DbTx, now = new Date()): Promise<{ days: number; crashes: number }> {
  const today = now.toISOString().slice(0, 10);
  const days = await tx.$executeRawUnsafe(
    `INSERT INTO "HostHealthDay" ("day", "idcId", "ticks", "hostSum", "onlineSum", "schedulableSum", "isDemo")
     SELECT d::date, r."idcId", 8640, count(*)::int * 8640,
            (count(*) * 8640 * (0.994 + (abs(hashtext(r."idcId"::text || d::text)) % 50) / 10000.0))::int,
            (count(*) * 8640 * (0.97 + (abs(hashtext(d::text || r."idcId"::text)) % 50) / 10000.0))::int, true
     FROM "Host" h JOIN "Rack" r ON r."id" = h."rackId", generate_series($1::date - 90, $1::date - 1, interval '1 day') d
     WHERE h."isDemo" GROUP BY d, r."idcId"
     ON CONFLICT DO NOTHING`,
    today,
  );
  const crashes = await tx.$executeRawUnsafe(
    `INSERT INTO "HostCrash" ("hostId", "startedAt", "endedAt", "idcId", "rackId", "model", "kernel", "os", "services", "isDemo")
     SELECT h."id", s.at, s.at + ((5 + abs(hashtext(h."id"::text || 'len' || d::text)) % 55) * interval '1 minute'),
            r."idcId", h."rackId", coalesce(h."labels"->>'model', '?'), coalesce(h."facts"->>'kernel', '?'), coalesce(h."facts"->>'os', '?'),
            coalesce((SELECT jsonb_agg(jsonb_build_object('serviceId', sv."id", 'service', sv."name", 'instanceId', i."id", 'role', i."role", 'port', i."port", 'outcome', 'recovered'))
                      FROM "Instance" i JOIN "Service" sv ON sv."id" = i."serviceId" WHERE i."hostId" = h."id"), '[]'::jsonb), true
     FROM "Host" h JOIN "Rack" r ON r."id" = h."rackId", generate_series($1::date - 90, $1::date - 1, interval '1 day') d,
          LATERAL (SELECT d + (abs(hashtext(h."id"::text || 'at' || d::text)) % 86400) * interval '1 second' AS at) s
     WHERE h."isDemo"
       AND abs(hashtext(h."id"::text || d::text)) % 10000 < CASE WHEN h."labels"->>'model' = 'r5' AND d >= $1::date - 10 THEN 250 ELSE 20 END`,
    today,
  );
  return { days, crashes };
}
