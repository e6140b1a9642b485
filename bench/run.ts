// npm run bench            → every benchmark, JSON lines on stdout
// npm run bench -- NAME    → one of them (NAME as listed below)
import { pathToFileURL } from "node:url";

const BENCHES: Record<string, string> = {
  "host-selection": "./host-selection.ts",
  "scheduler-core": "./scheduler-core.ts",
  "scheduler-api": "./scheduler-api.ts",
  retention: "./retention.ts",
  provisioning: "./provisioning.ts",
  board: "./board.ts",
  libra: "./libra.ts",
  collector: "./collector.ts",
  ingest: "./ingest.ts",
  promotions: "./promotions.ts",
  restart: "./restart.ts",
  failover: "./failover.ts",
  api: "./api.ts",
  upgrade: "./upgrade.ts",
  backup: "./backup.ts",
  reshard: "./reshard.ts",
  hosts: "./hosts.ts",
  inspect: "./inspect.ts",
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((n) => !(n in BENCHES));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(", ")}; known: ${Object.keys(BENCHES).join(", ")}`);
  process.exit(2);
}
for (const name of wanted.length ? wanted : Object.keys(BENCHES)) {
  const mod = (await import(pathToFileURL(new URL(BENCHES[name]!, import.meta.url).pathname).href)) as { run: () => Promise<void> };
  await mod.run();
}
