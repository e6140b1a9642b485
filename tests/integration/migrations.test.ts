import crypto from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, it, inject } from "vitest";
import { diffSchemas } from "../../server/db/schema-diff";

/**
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
SELECT 'index', indexname, regexp_replace(indexdef, ' ON public\\.', ' ON ')
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
});
