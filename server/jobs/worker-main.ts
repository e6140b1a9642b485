// `npm run worker`: one more worker process against DATABASE_URL (the launcher already runs one).
import { createDb } from "../db/client";
import { startReconciler } from "../domain/healing/reconciler";
import { startMonitoring } from "../domain/monitoring/maintenance";
import { dispatch } from "./queue";
import { startWorker } from "./worker";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("set DATABASE_URL to the database Hedwig uses");
  process.exit(2);
}
const boss = await startWorker(createDb(url, 4), url);
// the monitoring collector takes its share of the instances (see server/domain/monitoring/assignment.ts)
const monitoring = startMonitoring(createDb(url, 4));
// the reconciler runs in one worker process at a time (an advisory lock): this one takes over if the holder goes
const reconciler = startReconciler(createDb(url, 2), url, (jobId) => dispatch(boss, jobId));
console.log("[worker] running; Ctrl-C stops it after the current step");
const stop = async () => {
  await monitoring.stop();
  await reconciler.stop();
  await boss.stop({ graceful: true, wait: true });
  process.exit(0);
};
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
