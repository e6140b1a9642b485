import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/**
 * Prints the PostgreSQL DDL that takes the `from` schema (or an empty database) to the `to` schema,
 * using Prisma 6.19's WebAssembly schema engine (installed as the `prisma-wasm-differ` alias):
 * Prisma 7's `migrate diff` needs a binary engine that cannot be downloaded on these machines.
 * The wasm engine only opens a connection to `url` through its adapter; it reads nothing there.
 */
export function diffSchemas(opts: { from: string | null; to: string; url: string }): string {
  const work = path.resolve(".data/schema-diff");
  fs.mkdirSync(work, { recursive: true });
  // Prisma 6 wants the URL in the datasource block; Prisma 7 forbids it there.
  const withUrl = (file: string, name: string) => {
    const text = fs
      .readFileSync(file, "utf8")
      .replace(/datasource db \{([^}]*)\}/, (_m, body: string) => `datasource db {${body.trimEnd()}\n  url = env("DATABASE_URL")\n}`);
    const out = path.join(work, name);
    fs.writeFileSync(out, text);
    return out;
  };
  const config = path.join(work, "prisma.config.mjs");
  fs.writeFileSync(
    config,
    `import { PrismaPg } from "prisma-wasm-differ-adapter";
export default {
  experimental: { adapter: true },
  engine: "js",
  async adapter() { return new PrismaPg({ connectionString: process.env.DATABASE_URL }); },
};
`,
  );
  const to = withUrl(opts.to, "to.prisma");
  const fromArgs = opts.from ? ["--from-schema-datamodel", withUrl(opts.from, "from.prisma")] : ["--from-empty"];
  const cli = path.resolve("node_modules/prisma-wasm-differ/build/index.js");
  // The engine paths only have to exist: setting them stops the CLI from downloading binaries it will not use.
  const placeholder = cli;
  const out = execFileSync(process.execPath, [cli, "migrate", "diff", "--config", config, ...fromArgs, "--to-schema-datamodel", to, "--script"], {
    encoding: "utf8",
    env: {
      ...process.env,
      DATABASE_URL: opts.url,
      PRISMA_QUERY_ENGINE_LIBRARY: placeholder,
      PRISMA_SCHEMA_ENGINE_BINARY: placeholder,
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return out.replace(/^Loaded Prisma config.*\n/m, "").trim() + "\n";
}
