import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "../server/db/embedded";

/** Runs `fn` against DATABASE_URL when set, else against a throwaway embedded PostgreSQL. */
export async function withScratchDatabase<T>(fn: (url: string) => T | Promise<T>): Promise<T> {
  if (process.env.DATABASE_URL) return fn(process.env.DATABASE_URL);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hedwig-scratch-"));
  const port = 20000 + Math.floor(Math.random() * 20000);
  const pg = await startEmbeddedPostgres(dir, port);
  try {
    return await fn(pg.url);
  } finally {
    await pg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
