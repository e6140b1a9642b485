import { defineConfig } from "prisma/config";

// Prisma 7 reads the connection from here; the CLI is used only for `generate`
// (migrations are applied by server/db/migrate.ts, see README).
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
