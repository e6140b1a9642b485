import net from "node:net";
import type { APIRequestContext } from "@playwright/test";
import type { Db } from "../server/db/client";
import { expect, open, test, trpc } from "./fixtures";
import { demoNet } from "../server/db/seed/demo-net";

/** The e2e server seeds its demo on a loopback block of its own (playwright.config.ts). */
const DEMO = demoNet().prefix;

/**
 * A DBA's Libra journey on the seeded demo pool (HAProxy on the demo net's .2.1, run for real by the e2e
 * worker): the guided flow, the diff preview, apply now and its sync log, an emergency drain, the
 * diff of two versions and a rollback; then what NOC and BUSINESS see.
 */
const VIP = { ip: `${DEMO}.2.30`, port: 22300 };
/** the VIP another application holds when the guided flow is refused */
const TAKEN = { ip: `${DEMO}.2.31`, port: 22310 };
const shot = (name: string) => `/tmp/libra-${name}.png`;
const listening = (ip: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect({ host: ip, port });
    s.on("connect", () => (s.destroy(), resolve(true)));
    s.on("error", () => resolve(false));
  });

/** Removes an application the test made (the next sync takes it off the pool) and puts the sync period back. */
async function undo(db: Db, api: APIRequestContext, name: string, syncIntervalSeconds?: number) {
  const app = await db.lbApplication.findFirst({ where: { name, pool: { name: "default" } } });
  if (app) await trpc(api, "libra.removeApplication", { appId: app.id });
  if (syncIntervalSeconds !== undefined) await trpc(api, "libra.setSyncInterval", { seconds: syncIntervalSeconds });
}

test("a DBA creates an application through the guided flow, previews the diff, applies, drains, compares and rolls back", async ({
  db,
  users,
  signedIn,
  api,
  cleanup,
  baseURL,
}) => {
  test.setTimeout(240_000);
  const dba = await users.create({ role: "DBA" });
  const asDba = await api(dba);
  const { syncIntervalSeconds } = await (await asDba.get("/api/trpc/libra.settings")).json().then((r) => r.result.data.json);
  cleanup(() => undo(db, asDba, "e2e-cart", syncIntervalSeconds));
  // versions are counted from what the pool has now (a delivered Twemproxy service takes some)
  const base = await db.lbVersion.count({ where: { pool: { name: "default" } } });
  const v = (n: number) => base + n;
  const page = await signedIn(dba);
  await open(page, "/libra");
  await expect(page.getByTestId("libra-pool-default")).toBeVisible();
  await page.screenshot({ path: shot("overview"), fullPage: true });
  // a long sync period while the DBA looks at pending changes; set back to 2 s at the end
  await page.getByTestId("libra-interval").fill("3600");
  await page.getByTestId("libra-interval-save").click();
  await expect(page.getByTestId("libra-interval-save")).toBeDisabled();

  // the guided flow
  await page.getByTestId("libra-new").click();
  await page.locator("body[data-hydrated]").waitFor();
  await page.getByTestId("libra-flow-name").fill("e2e-cart");
  await page.getByTestId("libra-flow-next").click();
  await page.getByTestId("libra-flow-vip-ip").fill(VIP.ip);
  await page.getByTestId("libra-flow-vip-port").fill(String(VIP.port));
  await page.getByTestId("libra-flow-next").click();
  await expect(page.getByTestId("libra-flow-balance")).toContainText("rr-default");
  await expect(page.getByTestId("libra-flow-balance")).not.toContainText("lvs-dr-wlc");
  await page.getByTestId("libra-flow-next").click();
  await page.getByTestId("libra-flow-member-ip-0").fill(`${DEMO}.1.1`);
  await page.getByTestId("libra-flow-member-port-0").fill(String(VIP.port));
  await page.getByTestId("libra-flow-add-member").click();
  await page.getByTestId("libra-flow-member-ip-1").fill(`${DEMO}.1.2`);
  await page.getByTestId("libra-flow-next").click();
  await expect(page.getByTestId("libra-flow-review")).toContainText(`${VIP.ip}:${VIP.port}/tcp`);
  await page.screenshot({ path: shot("guided-review"), fullPage: true });
  await page.getByTestId("libra-flow-create").click();
  await page.waitForURL(/\/libra\/apps\/\d+$/);
  await expect(page.getByTestId("libra-members")).toContainText(`${DEMO}.1.2:22300`);

  // the pool: pending change, the diff preview against live
  await page.getByTestId("libra-app-pool").click();
  await page.waitForURL(/\/libra\/pools\/\d+$/);
  await expect(page.getByTestId("libra-pending")).toContainText(`application e2e-cart created on ${DEMO}.2.30:22300 with 2 member(s)`);
  await expect(page.getByTestId("libra-diff")).toContainText(`+    bind ${VIP.ip}:${VIP.port}`);
  await page.screenshot({ path: shot("diff-preview"), fullPage: true });
  await page.getByTestId("libra-tab-file").click();
  await expect(page.getByTestId("libra-file")).toContainText("server m-");
  await page.getByTestId("libra-tab-diff").click();

  // apply now → a worker syncs; the log says what happened; HAProxy serves the VIP
  await page.getByTestId("libra-apply").click();
  await expect(page.getByTestId("libra-apply-queued")).toBeVisible();
  await expect(page.getByTestId(`libra-version-${v(1)}`)).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("libra-run-log")).toContainText(`version ${v(1)} is live on 1 server`);
  await expect(page.getByTestId("libra-pending-count")).toHaveText("0");
  expect(await listening(VIP.ip, VIP.port)).toBe(true);
  await page.screenshot({ path: shot("sync-log"), fullPage: true });

  // emergency drain on the application page
  await page.goBack();
  await page.locator("body[data-hydrated]").waitFor();
  await page.getByTestId(`libra-drain-${DEMO}.1.1:22300`).click();
  await expect(page.getByTestId("libra-app-note")).toContainText("Applied at once");
  await expect(page.getByTestId(`libra-member-${DEMO}.1.1:22300`)).toHaveAttribute("data-state", "DRAINING");
  // HAProxy's own view of the member, from its runtime API
  await expect(page.getByTestId(`libra-live-${DEMO}.1.1:22300`)).toContainText(/UP|DOWN|DRAIN|MAINT/);
  await page.screenshot({ path: shot("drained"), fullPage: true });

  // the next sync agrees: version 2 renders the drained member with weight 0
  await page.getByTestId("libra-app-pool").click();
  await page.waitForURL(/\/libra\/pools\/\d+$/);
  await expect(page.getByTestId("libra-pending")).toContainText("at once (emergency)");
  await page.getByTestId("libra-apply").click();
  await expect(page.getByTestId(`libra-version-${v(2)}`)).toBeVisible({ timeout: 30_000 });

  // compare v1 and v2, then roll back to v1 (a new version, v3)
  await page.getByTestId(`libra-pick-${v(1)}`).check();
  await page.getByTestId(`libra-pick-${v(2)}`).check();
  await expect(page.getByTestId("libra-version-diff")).toContainText(`${DEMO}.1.1:22300 weight 0 check`);
  await page.screenshot({ path: shot("version-diff"), fullPage: true });
  await page.getByTestId(`libra-rollback-${v(1)}`).click();
  await page.getByTestId(`libra-rollback-confirm-${v(1)}`).click();
  await expect(page.getByTestId(`libra-version-${v(3)}`)).toContainText(`rollback to v${v(1)}`, { timeout: 30_000 });
  await expect(page.getByTestId("libra-runs").locator("tr[data-status=SUCCEEDED]").first()).toBeVisible();
  await page.screenshot({ path: shot("rollback"), fullPage: true });
  await page.getByTestId("libra-apps").getByText("e2e-cart").click();
  await expect(page.getByTestId(`libra-member-${DEMO}.1.1:22300`)).toHaveAttribute("data-state", "ENABLED");

  // the periodic sync: a member added on the application page goes live by itself
  await open(page, "/libra");
  await page.getByTestId("libra-interval").fill("2");
  await page.getByTestId("libra-interval-save").click();
  await page.getByTestId("libra-pool-default").getByRole("link", { name: "default" }).click();
  await page.getByTestId("libra-apps").getByText("e2e-cart").click();
  await page.getByTestId("libra-add-member-ip").fill(`${DEMO}.1.3`);
  await page.getByTestId("libra-add-member-port").fill(String(VIP.port));
  await page.getByTestId("libra-add-member").click();
  await expect(page.getByTestId("libra-members")).toContainText(`${DEMO}.1.3:22300`);
  await page.getByTestId("libra-app-pool").click();
  await expect(page.getByTestId(`libra-version-${v(4)}`)).toContainText("periodic sync", { timeout: 30_000 });
  await expect(page.getByTestId("libra-pending-count")).toHaveText("0");

  // the same pool page in Chinese
  await page.context().addCookies([{ name: "hedwig-locale", value: "zh", url: baseURL! }]);
  await page.reload();
  await page.locator("body[data-hydrated]").waitFor();
  await expect(page.getByRole("heading", { name: "池 default" })).toBeVisible();
  await expect(page.getByTestId(`libra-version-${v(3)}`)).toContainText(`回滚到 v${v(1)}`);
  await expect(page.getByTestId(`libra-version-${v(4)}`)).toContainText("周期同步");
  await page.screenshot({ path: shot("pool-zh"), fullPage: true });
});

test("the guided flow refuses a VIP another application uses, and writes nothing", async ({ db, users, signedIn, api, cleanup }) => {
  const dba = await users.create({ role: "DBA" });
  const asDba = await api(dba);
  // the application holding the VIP, made through the API
  const [pool, health, balance] = await Promise.all([
    db.lbPool.findUniqueOrThrow({ where: { name: "default" } }),
    db.lbHealthCheck.findUniqueOrThrow({ where: { name: "tcp-default" } }),
    db.lbBalanceConfig.findUniqueOrThrow({ where: { name: "rr-default" } }),
  ]);
  cleanup(() => undo(db, asDba, "e2e-holder"));
  await trpc(asDba, "libra.createApplication", {
    poolId: pool.id,
    name: "e2e-holder",
    healthCheckId: health.id,
    balanceConfigId: balance.id,
    vip: { ip: TAKEN.ip, port: TAKEN.port, protocol: "TCP" },
    members: [{ ip: `${DEMO}.1.4`, port: TAKEN.port }],
  });
  const page = await signedIn(dba);
  await open(page, "/libra/new");
  await page.getByTestId("libra-flow-name").fill("e2e-dup");
  await page.getByTestId("libra-flow-next").click();
  await page.getByTestId("libra-flow-vip-ip").fill(TAKEN.ip);
  await page.getByTestId("libra-flow-vip-port").fill(String(TAKEN.port));
  await page.getByTestId("libra-flow-next").click();
  await page.getByTestId("libra-flow-next").click();
  await page.getByTestId("libra-flow-member-ip-0").fill(`${DEMO}.1.3`);
  await page.getByTestId("libra-flow-next").click();
  await page.getByTestId("libra-flow-create").click();
  await expect(page.getByRole("alert").filter({ hasText: "already used" })).toContainText(
    new RegExp(`VIP ${TAKEN.ip.replaceAll(".", "\\.")}:${TAKEN.port}/tcp is already used by application \\d+ \\(e2e-holder\\)`),
  );
  await page.screenshot({ path: shot("vip-taken"), fullPage: true });
  await open(page, "/libra");
  await expect(page.getByTestId("libra-pools")).not.toContainText("e2e-dup");
});

test("NOC reads Libra without write controls; BUSINESS does not see it", async ({ signedIn }) => {
  const noc = await signedIn({ role: "NOC" });
  await open(noc, "/libra");
  await expect(noc.getByTestId("libra-pool-default")).toBeVisible();
  await expect(noc.getByTestId("libra-new")).toHaveCount(0);
  await noc.getByRole("link", { name: "default" }).click();
  await expect(noc.getByTestId("libra-versions")).toBeVisible();
  await expect(noc.getByTestId("libra-apply")).toHaveCount(0);
  const biz = await signedIn({ role: "BUSINESS" });
  await open(biz, "/libra");
  await expect(biz.getByTestId("forbidden")).toBeVisible();
});
