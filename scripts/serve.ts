// Starts Hedwig: the embedded PostgreSQL (unless DATABASE_URL is set), migrations, the one-time
// demo seed, then Next.js. Used by `npm start` (after install and build) and `npm run dev`.
import { english } from "../i18n/load";
import type { Text } from "../lib/text";
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { startEmbeddedPostgres, type EmbeddedDb } from "../server/db/embedded";
import { createDb } from "../server/db/client";
import { migrate } from "../server/db/migrate";
import { ensureSettingsAndRanges, seedDemo } from "../server/db/seed";
import { requestLiveDemo } from "../server/db/seed/live";
import { bringBackLocalFleet } from "../server/domain/healing/startup";
import { startReconciler } from "../server/domain/healing/reconciler";
import { dispatch } from "../server/jobs/queue";
import { startWorker } from "../server/jobs/worker";
import { startMonitoring } from "../server/domain/monitoring/maintenance";
import { log as rootLog } from "../server/log";
import { startOpsServer, workerOpsPort } from "../server/ops/http";

const log = rootLog.child({ part: "launcher" });

const args = new Set(process.argv.slice(2));
const dev = args.has("--dev");
const noDemo = args.has("--no-demo") || process.env.HEDWIG_NO_DEMO === "1";
const port = Number(process.env.PORT ?? 3000);
const dataDir = path.resolve(process.env.HEDWIG_DATA_DIR ?? ".data");

function authSecret(): string {
  if (process.env.NEXTAUTH_SECRET) return process.env.NEXTAUTH_SECRET;
  // Kept beside the data so sessions survive a restart; never committed (.data is git-ignored).
  const file = path.join(dataDir, "auth-secret");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, crypto.randomBytes(32).toString("base64url"), { mode: 0o600 });
  }
  return fs.readFileSync(file, "utf8").trim();
}

let embedded: EmbeddedDb | null = null;
let url = process.env.DATABASE_URL;
if (!url) {
  // below Linux's ephemeral range (32768–60999): an outgoing connection's local port cannot hold it at start
  embedded = await startEmbeddedPostgres(path.join(dataDir, "postgres"), Number(process.env.HEDWIG_PG_PORT ?? 31320));
  url = embedded.url;
  log.info({ database: url.replace(/:[^:@/]+@/, ":***@"), dataDir: path.join(dataDir, "postgres") }, "embedded PostgreSQL started");
}

const applied = await migrate(url);
log.info({ applied }, applied.length ? "migrations applied" : "migrations up to date");
const db = createDb(url, 2);
await ensureSettingsAndRanges(db, { demo: !noDemo });
if (!noDemo) {
  const summary = await seedDemo(db);
  log.info({ summary }, "skipped" in summary && summary.skipped ? "demo data already seeded" : "demo data seeded");
}
// The worker runs beside the web server; `npm run worker` adds more processes.
const workerDb = createDb(url, 4);
const worker = await startWorker(workerDb, url);
// the worker's probes (the web server answers its own /healthz and /readyz)
const opsPort = workerOpsPort();
const ops = opsPort === null ? null : await startOpsServer(workerDb, { port: opsPort, host: process.env.HEDWIG_WORKER_HOST });
const say = (level: "info" | "warn" | "error") => async (m: Text | string) => log[level](english(m));
const resumed = await bringBackLocalFleet(db, url, { info: say("info"), warn: say("warn"), error: say("error") });
if (resumed.instances.started || resumed.instances.failed) log.info(resumed.instances, "local instances started again");
if (resumed.loadBalancers.started || resumed.loadBalancers.failed) log.info(resumed.loadBalancers, "load balancers started again");
// The e2e server's specs deliver live services of their own (e2e/fixtures.ts) and skip these.
if (!noDemo && process.env.HEDWIG_NO_LIVE_DEMO !== "1") {
  const jobs = await requestLiveDemo(db, (jobId) => dispatch(worker, jobId));
  if (jobs.length) log.info({ services: jobs.length }, "live demo requested and approved; the worker is delivering it");
}
// The monitoring collector runs in every worker process; they share the instances between them.
const monitoringDb = createDb(url, 4);
const monitoring = startMonitoring(monitoringDb);
// Restarts what died (instances, load balancers) as automatic jobs; one worker process at a time does it.
const reconcilerDb = createDb(url, 2);
const reconciler = startReconciler(reconcilerDb, url, (jobId) => dispatch(worker, jobId));

const next = spawn(process.execPath, [path.resolve("node_modules/next/dist/bin/next"), dev ? "dev" : "start", "-p", String(port)], {
  stdio: "inherit",
  env: {
    ...process.env,
    DATABASE_URL: url,
    HEDWIG_DATA_DIR: dataDir,
    NEXTAUTH_SECRET: authSecret(),
    NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://localhost:${port}`,
    // the socket's address for sign-in throttling (scripts/peer-address.mjs); NODE_OPTIONS reaches dev's child process too
    NODE_OPTIONS: [process.env.NODE_OPTIONS, `--import=${pathToFileURL(path.resolve("scripts/peer-address.mjs")).href}`].filter(Boolean).join(" "),
  },
});
log.info({ port }, `serving on http://localhost:${port}`);

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  // Next first (its queue client talks to the database), then the worker, then the database.
  if (next.exitCode === null) {
    const exited = new Promise((r) => next.once("exit", r));
    next.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  }
  await ops?.close();
  // the collector finishes its tick and saves its cursors while the database is still there
  await Promise.race([monitoring.stop(), new Promise((r) => setTimeout(r, 10_000))]);
  await monitoringDb.$disconnect();
  await Promise.race([reconciler.stop(), new Promise((r) => setTimeout(r, 10_000))]);
  await reconcilerDb.$disconnect();
  // graceful: the queue closes its connections before the database goes (a running job is resumed on the next start).
  const stopped = new Promise((r) => worker.once("stopped", r));
  await worker.stop({ graceful: true, wait: true, timeout: 5_000 }).catch(() => {});
  await Promise.race([stopped, new Promise((r) => setTimeout(r, 6_000))]);
  // pg-boss 10 keeps idle pool connections after stop(); the database closing them is expected now.
  worker.removeAllListeners("error").on("error", () => {});
  await db.$disconnect();
  await embedded?.stop().catch(() => {});
  process.exit(code);
}
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));
next.on("exit", (code) => void stop(code ?? 0));
