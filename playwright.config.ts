import { defineConfig } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3100);
// The test server's demo takes loopback block 127.1 (hosts 127.1.1.x, Libra 127.1.2.x), clear of a
// Hedwig running on this machine (127.0) and of its demo processes, which outlive it. Set here, in
// the runner's environment, so the specs' workers read the same plan (server/db/seed/demo-net.ts).
process.env.HEDWIG_DEMO_NET = process.env.E2E_DEMO_NET ?? "127.1";

// Debian's chromium: `npx playwright install` would download a browser, which these machines cannot.
export default defineConfig({
  testDir: "e2e",
  globalTeardown: "./e2e/global-teardown.ts",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  timeout: 60_000,
  use: {
    baseURL: `http://localhost:${PORT}`,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    },
    viewport: { width: 1440, height: 900 },
    trace: "retain-on-failure",
  },
  webServer: {
    // A fresh embedded PostgreSQL with the demo catalogue (no live demo: the specs deliver their own
    // services, e2e/fixtures.ts), served from the production build. The browser on
    // loopback stands for a trusted proxy, so specs sign in "from" their own X-Forwarded-For address.
    command: `node scripts/stop-demo-instances.mjs .data/e2e && rm -rf .data/e2e && HEDWIG_TRUSTED_PROXIES=127.0.0.1,::1 HEDWIG_NO_LIVE_DEMO=1 HEDWIG_DATA_DIR=.data/e2e HEDWIG_DEMO_NET=${process.env.HEDWIG_DEMO_NET} HEDWIG_PG_PORT=${process.env.E2E_PG_PORT ?? 31330} PORT=${PORT} npx tsx scripts/serve.ts`,
    url: `http://localhost:${PORT}/signin`,
    timeout: 300_000,
    reuseExistingServer: false,
    // SIGTERM lets the launcher stop the worker and the embedded PostgreSQL (SIGKILL would leave its lock file).
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
    stdout: "pipe",
  },
});
