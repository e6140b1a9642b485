import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../../generated/prisma/client";

export type Db = PrismaClient;
/** A transaction handle or the client itself: domain functions accept either. */
export type DbTx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export function createDb(url: string, max = 10): Db {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max }) });
}

const globalForDb = globalThis as unknown as { hedwigDb?: Db };

/** The process-wide client for the web server; DATABASE_URL is set by the launcher. */
export function db(): Db {
  if (!globalForDb.hedwigDb) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set; start Hedwig with `npm start`");
    globalForDb.hedwigDb = createDb(url);
  }
  return globalForDb.hedwigDb;
}
