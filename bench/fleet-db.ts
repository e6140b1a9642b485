import { createDb, type Db } from "../server/db/client";
import { migrate } from "../server/db/migrate";
import { ensureSettingsAndRanges, seedDemo, seedScaledHosts } from "../server/db/seed";
import { withScratchDatabase } from "../scripts/scratch-db";

/** The demo fleet scaled to `hosts` hosts in a throwaway embedded PostgreSQL (or DATABASE_URL's). */
export function withScaledFleet<T>(hosts: number, fn: (db: Db, url: string) => Promise<T>): Promise<T> {
  return withScratchDatabase(async (url) => {
    await migrate(url);
    const db = createDb(url, 10);
    try {
      await ensureSettingsAndRanges(db);
      await seedDemo(db);
      const have = await db.host.count();
      if (have < hosts) await seedScaledHosts(db, hosts - have);
      await db.$executeRawUnsafe("ANALYZE");
      return await fn(db, url);
    } finally {
      await db.$disconnect();
    }
  });
}
