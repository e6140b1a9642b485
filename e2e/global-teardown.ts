import { execFileSync } from "node:child_process";

/** Demo instances the journeys deployed are detached processes: stop them with the run. */
export default function teardown() {
  execFileSync(process.execPath, ["scripts/stop-demo-instances.mjs", ".data/e2e"], { stdio: "inherit" });
}
