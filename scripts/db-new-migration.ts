// Authors a new migration: the DDL from the schema as of the last migration
// (prisma/migrations/schema.snapshot.prisma) to prisma/schema.prisma.
// Usage: npm run db:new-migration -- add_something
import fs from "node:fs";
import path from "node:path";
import { diffSchemas } from "../server/db/schema-diff";
import { withScratchDatabase } from "./scratch-db";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:new-migration -- <snake_case_name>");
  process.exit(2);
}
const dir = "prisma/migrations";
const snapshot = path.join(dir, "schema.snapshot.prisma");
const sql = await withScratchDatabase((url) => diffSchemas({ from: fs.existsSync(snapshot) ? snapshot : null, to: "prisma/schema.prisma", url }));
if (!/\b(CREATE|ALTER|DROP)\b/.test(sql)) {
  console.log("prisma/schema.prisma has no changes since the last migration");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const folder = path.join(dir, `${stamp}_${name}`);
fs.mkdirSync(folder, { recursive: true });
fs.writeFileSync(path.join(folder, "migration.sql"), sql);
fs.copyFileSync("prisma/schema.prisma", snapshot);
console.log(`wrote ${folder}/migration.sql — read it, then commit it with the snapshot`);
