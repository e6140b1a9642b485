// `prisma generate` downloads a schema-engine binary unless PRISMA_SCHEMA_ENGINE_BINARY names a file;
// generating the `prisma-client` never runs that engine, so any existing file will do.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cli = path.join(root, "node_modules/prisma/build/index.js");
execFileSync(process.execPath, [cli, "generate"], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: cli, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
});
