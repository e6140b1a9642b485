import crypto from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, it, inject } from "vitest";
import { diffSchemas } from "../../server/db/schema-diff";

/**
 * (A partitioned table's indexes read `ON ONLY public."T"`: the raw samples' parent is compared
 * like any table; its day tables live in the `hedwig_parts` schema, outside the comparison.)
 *
 * The migrations must build exactly the database the Prisma schema describes. We build one database
 * from prisma/migrations (the run's template) and one straight from the schema's DDL, then compare
 * their catalogs: tables, columns (type, nullability, default), enums, indexes, constraints.
 */
const CATALOG_SQL = `
SELECT 'column' AS kind, table_name || '.' || column_name AS name,
       concat_ws(' ', data_type, udt_name, is_nullable, column_default) AS def
  FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
UNION ALL
SELECT 'enum', t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
  FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname
UNION ALL
SELECT 'index', indexname, regexp_replace(indexdef, ' ON (ONLY )?public\\.', ' ON ')
  FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'
UNION ALL
SELECT 'constraint', conrelid::regclass::text || '.' || conname, pg_get_constraintdef(oid)
  FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> '_prisma_migrations'
ORDER BY 1, 2`;

async function catalog(url: string): Promise<string[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<{ kind: string; name: string; def: string }>(CATALOG_SQL)).rows.map((r) => `${r.kind} ${r.name}: ${r.def}`);
  } finally {
    await c.end();
  }
}

describe("migrations", () => {
  const adminUrl = inject("adminUrl");
  const onDb = (name: string) => adminUrl.replace(/\/[^/]+$/, `/${name}`);
  const fromSchema = `s_${crypto.randomBytes(5).toString("hex")}`;

  afterAll(async () => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${fromSchema} WITH (FORCE)`);
    await c.end();
  });

  it("a freshly migrated database matches prisma/schema.prisma", async () => {
    const ddl = diffSchemas({ from: null, to: "prisma/schema.prisma", url: adminUrl });
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${fromSchema}`);
    await admin.end();
    const c = new pg.Client({ connectionString: onDb(fromSchema) });
    await c.connect();
    await c.query(ddl);
    await c.end();

    const migrated = await catalog(onDb("hedwig_template"));
    const expected = await catalog(onDb(fromSchema));
    expect(migrated.length).toBeGreaterThan(100);
    expect(migrated).toEqual(expected);
  });

  it("the schema snapshot of the last migration is the current schema (no change without a migration)", async () => {
    const fs = await import("node:fs");
    expect(fs.readFileSync("prisma/migrations/schema.snapshot.prisma", "utf8")).toBe(fs.readFileSync("prisma/schema.prisma", "utf8"));
  });

  it("partitioning the raw samples by day keeps every existing row, in its day's table, and makes the next days", async () => {
    const { default: fs } = await import("node:fs");
    const { default: os } = await import("node:os");
    const { default: path } = await import("node:path");
    const { migrate, MIGRATIONS_DIR } = await import("../../server/db/migrate");
    const PARTITIONING = "20261203160000_partition_metric_sample";
    // the migrations before it, as a database of the previous release had them
    const before = fs.mkdtempSync(path.join(os.tmpdir(), "hedwig-mig-"));
    for (const d of fs.readdirSync(MIGRATIONS_DIR).filter((d) => /^\d/.test(d) && d < PARTITIONING))
      fs.cpSync(path.join(MIGRATIONS_DIR, d), path.join(before, d), { recursive: true });
    const name = `p_${crypto.randomBytes(5).toString("hex")}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const c = new pg.Client({ connectionString: onDb(name) });
    try {
      await migrate(onDb(name), before);
      await c.connect();
      await c.query(`INSERT INTO "MetricSample" ("instanceId", "serviceId", "at", "up", "opsPerSec", "commands")
        SELECT i, 1, t, true, i * 10, '{"get": {"calls": 1, "usec": 2}}'
        FROM generate_series(1, 50) i, generate_series(timestamptz '2026-10-30 23:00:00+00', timestamptz '2026-11-01 01:00:00+00', interval '30 minutes') t`);
      const rowsBefore = (await c.query(`SELECT "instanceId", "at", "opsPerSec", "commands" FROM "MetricSample" ORDER BY 1, 2`)).rows;
      expect(rowsBefore).toHaveLength(50 * 53);

      expect(await migrate(onDb(name))).toContain(PARTITIONING);
      const rowsAfter = (await c.query(`SELECT "instanceId", "at", "opsPerSec", "commands" FROM "MetricSample" ORDER BY 1, 2`)).rows;
      expect(rowsAfter).toEqual(rowsBefore);
      const parts = (
        await c.query<{ name: string; n: string }>(
          `SELECT c.relname AS name, (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM hedwig_parts.%I', c.relname), false, true, '')))[1]::text AS n
           FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = '"MetricSample"'::regclass ORDER BY 1`,
        )
      ).rows;
      const counts = Object.fromEntries(parts.map((p) => [p.name, Number(p.n)]));
      // 23:00 and 23:30 of the 30th; all 48 half-hours of the 31st; 00:00 … 01:00 of November 1st
      expect(counts).toMatchObject({ MetricSample_20261030: 100, MetricSample_20261031: 2400, MetricSample_20261101: 150 });
      const today = new Date();
      for (let k = 0; k <= 3; k++) {
        const day = new Date(today.getTime() + k * 86_400_000).toISOString().slice(0, 10).replace(/-/g, "");
        expect(counts[`MetricSample_${day}`]).toBe(0);
      }
      // the key still refuses a second sample of an instance at the same time
      await expect(c.query(`INSERT INTO "MetricSample" ("instanceId", "serviceId", "at", "up") VALUES (1, 1, '2026-10-31 00:00:00+00', true)`)).rejects.toThrow(
        /duplicate key/,
      );
    } finally {
      await c.end().catch(() => {});
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
      fs.rmSync(before, { recursive: true, force: true });
    }
  });
});
