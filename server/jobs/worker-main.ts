// `npm run worker`: one more worker process against DATABASE_URL (the launcher already runs one).
import { createDb } from "../db/client";
import { log } from "../log";
import { startOpsServer, workerOpsPort } from "../ops/http";
import { startReconciler } from "../domain/healing/reconciler";
import { startMonitoring } from "../domain/monitoring/maintenance";
import { dispatch } from "./queue";
import { startWorker } from "./worker";

const url = process.env.DATABASE_URL;
if (!url) {
  log.fatal("set DATABASE_URL to the database Hedwig uses");
  process.exit(2);
}
const db = createDb(url, 4);
const boss = await startWorker(db, url);
// the monitoring collector takes its share of the instances (see server/domain/monitoring/assignment.ts)
const monitoring = startMonitoring(createDb(url, 4));
// the reconciler runs in one worker process at a time (an advisory lock): this one takes over if the holder goes
const reconciler = startReconciler(createDb(url, 2), url, (jobId) => dispatch(boss, jobId));
const opsPort = workerOpsPort();
const ops = opsPort === null ? null : await startOpsServer(db, { port: opsPort, host: process.env.HEDWIG_WORKER_HOST });
log.info({ part: "worker" }, "running; Ctrl-C stops it after the current step");
const stop = async () => {
  await ops?.close();
  await monitoring.stop();
  await reconciler.stop();
  await boss.stop({ graceful: true, wait: true });
  process.exit(0);
};
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
