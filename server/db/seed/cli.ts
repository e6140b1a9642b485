/**
 * Prepares a database: migrations, defaults (port ranges, versions, specs, bootstrap admin) and,
 * unless `--no-demo` or HEDWIG_NO_DEMO=1, the demo fleet.   npx tsx server/db/seed/cli.ts
 */
import { createDb } from "../client";
import { migrate } from "../migrate";
import { ensureSettingsAndRanges, seedDemo } from "./index";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is not set");
  process.exit(1);
}
const demo = !process.argv.includes("--no-demo") && process.env.HEDWIG_NO_DEMO !== "1";

const applied = await migrate(url);
const db = createDb(url);
try {
  await ensureSettingsAndRanges(db, { demo });
  const summary = demo ? await seedDemo(db) : null;
  const seeded = !summary
    ? "no demo (--no-demo or HEDWIG_NO_DEMO=1)"
    : summary.skipped
      ? "demo already seeded"
      : `demo seeded: ${summary.hosts} hosts, ${summary.services} services, ${summary.instances} instances, ` +
        `${summary.productLines} product lines in ${summary.ms} ms`;
  console.log(`hedwig seed: ${applied.length} migration(s) applied, defaults ensured, ${seeded}`);
} finally {
  await db.$disconnect();
}
