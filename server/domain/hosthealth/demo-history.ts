import type { DbTx } from "../../db/client";

/**
 * Ninety days of generated host health for the demo fleet (all isDemo): per IDC and day the probe
 * sums (online ~99.6 %, a few hosts in maintenance), and crashes drawn per host and day from a hash
 * (5 in 10,000 a day), except the old r5 machines, whose rate jumps to 4 in 100 over the last ten
 * days — the systemic cause the crash analysis is there to show. The hashes take the day's distance
 * from today, not its date, so every day's seed draws the same history. Set-based SQL.
 */
export async function insertDemoHostHealth(tx: DbTx, now = new Date()): Promise<{ days: number; crashes: number }> {
  const today = now.toISOString().slice(0, 10);
  const days = await tx.$executeRawUnsafe(
    `INSERT INTO "HostHealthDay" ("day", "idcId", "ticks", "hostSum", "onlineSum", "schedulableSum", "isDemo")
     SELECT $1::date - k, r."idcId", 8640, count(*)::int * 8640,
            (count(*) * 8640 * (0.994 + (abs(hashtext(r."idcId"::text || '@' || k::text)) % 50) / 10000.0))::int,
            (count(*) * 8640 * (0.97 + (abs(hashtext(k::text || '@' || r."idcId"::text)) % 50) / 10000.0))::int, true
     FROM "Host" h JOIN "Rack" r ON r."id" = h."rackId", generate_series(1, 90) k
     WHERE h."isDemo" GROUP BY k, r."idcId"
     ON CONFLICT DO NOTHING`,
    today,
  );
  const crashes = await tx.$executeRawUnsafe(
    `INSERT INTO "HostCrash" ("hostId", "startedAt", "endedAt", "idcId", "rackId", "model", "kernel", "os", "services", "isDemo")
     SELECT h."id", s.at, s.at + ((5 + abs(hashtext(h."id"::text || 'len' || k::text)) % 55) * interval '1 minute'),
            r."idcId", h."rackId", coalesce(h."labels"->>'model', '?'), coalesce(h."facts"->>'kernel', '?'), coalesce(h."facts"->>'os', '?'),
            coalesce((SELECT jsonb_agg(jsonb_build_object('serviceId', sv."id", 'service', sv."name", 'instanceId', i."id", 'role', i."role", 'port', i."port", 'outcome', 'recovered'))
                      FROM "Instance" i JOIN "Service" sv ON sv."id" = i."serviceId" WHERE i."hostId" = h."id"), '[]'::jsonb), true
     FROM "Host" h JOIN "Rack" r ON r."id" = h."rackId", generate_series(1, 90) k,
          LATERAL (SELECT ($1::date - k)::timestamp + (abs(hashtext(h."id"::text || 'at' || k::text)) % 86400) * interval '1 second' AS at) s
     WHERE h."isDemo"
       AND abs(hashtext(h."id"::text || '@' || k::text)) % 10000 < CASE WHEN h."labels"->>'model' = 'r5' AND k <= 10 THEN 400 ELSE 5 END`,
    today,
  );
  return { days, crashes };
}
