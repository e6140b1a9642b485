// Stops every process the local executor started for demo hosts under DATA_DIR/hosts (their pid
// files), e.g. before wiping a data directory: they are detached and would keep their ports.
// Usage: node scripts/stop-demo-instances.mjs [DATA_DIR]   (default .data)
import fs from "node:fs";
import path from "node:path";

const root = path.join(process.argv[2] ?? process.env.HEDWIG_DATA_DIR ?? ".data", "hosts");
const pidFiles = (dir) =>
  fs.existsSync(dir)
    ? fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((e) => (e.isDirectory() ? pidFiles(path.join(dir, e.name)) : e.name.endsWith(".pid") ? [path.join(dir, e.name)] : []))
    : [];
let stopped = 0;
for (const file of pidFiles(root)) {
  const pid = Number.parseInt(fs.readFileSync(file, "utf8"), 10);
  if (!Number.isInteger(pid) || pid <= 1) continue;
  try {
    process.kill(-pid, "SIGKILL"); // the daemon's own process group
    stopped++;
  } catch {
    try {
      process.kill(pid, "SIGKILL");
      stopped++;
    } catch {
      /* already gone */
    }
  }
}
console.log(`stopped ${stopped} demo instance process(es) under ${root}`);
