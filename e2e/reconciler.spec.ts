import fs from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { expect, open, test } from "./fixtures";

/**
 * Desired apart from observed, on the live Twemproxy service of the fleet fixture: a DBA's
 * stop through the page is maintenance (asked: stopped, maintenance until …) and reads "down", and a
 * proxy killed behind Hedwig's back comes back by an automatic job that says so — with no click.
 */
const shot = (name: string) => `/tmp/reconciler-${name}.png`;

/** The service page reads its instances once; reload until the row says what is expected. */
async function untilRow(page: Page, address: string, attrs: Record<string, string>, timeout = 45_000) {
  await expect(async () => {
    await page.reload();
    await page.locator("body[data-hydrated]").waitFor();
    const state = page.getByTestId(`instance-row-${address}`).getByTestId("instance-state");
    for (const [k, v] of Object.entries(attrs)) await expect(state).toHaveAttribute(k, v, { timeout: 1000 });
  }).toPass({ timeout, intervals: [2000] });
}

test("a DBA's stop is maintenance and reads down; a killed proxy is started again by an automatic job", async ({ db, liveFleet, signedIn, baseURL }) => {
  test.setTimeout(180_000);
  const order = liveFleet.order;
  const instances = await db.instance.findMany({ where: { serviceId: order.id }, include: { host: true }, orderBy: { id: "asc" } });
  const replica = instances.find((i) => i.role === "REPLICA")!;
  const proxy = instances.find((i) => i.role === "PROXY")!;
  const replicaAddr = `${replica.host.ip}:${replica.port}`;
  const proxyAddr = `${proxy.host.ip}:${proxy.port}`;
  const page = await signedIn({ role: "DBA" });
  await open(page, `/inventory/services/${order.id}`);
  await expect(page.getByTestId(`instance-row-${proxyAddr}`).getByTestId("instance-state")).toHaveAttribute("data-desired", "running");

  // the DBA's stop asks until when the maintenance lasts
  await page.getByTestId(`op-stop-${replicaAddr}`).click();
  await page.getByTestId("maintenance-note").fill("disk check");
  await page.getByTestId("maintenance-apply").click();
  await untilRow(page, replicaAddr, { "data-desired": "stopped", "data-maintenance": "1", "data-observed": "down" });
  await expect(page.getByTestId(`instance-row-${replicaAddr}`).getByTestId("instance-maintenance")).toContainText("maintenance until");
  await expect(page.getByTestId(`instance-row-${replicaAddr}`)).not.toContainText(/running/i);

  // a proxy dies behind Hedwig's back: the reconciler starts it again, and the job says it was automatic
  await expect.poll(async () => db.job.count({ where: { serviceId: order.id, status: { in: ["QUEUED", "RUNNING"] } } }), { timeout: 30_000 }).toBe(0);
  const pidFile = path.resolve(".data/e2e/hosts", proxy.host.ip, "data/hedwig/run/twemproxy", `${proxy.port}.pid`);
  process.kill(-Number(fs.readFileSync(pidFile, "utf8")), "SIGKILL");
  await expect(async () => {
    await page.reload();
    await page.locator("body[data-hydrated]").waitFor();
    await expect(page.getByTestId("operation-automatic").first()).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 45_000, intervals: [2000] });
  await expect(page.locator('[data-testid="operation-instance.start"]').first()).toHaveAttribute("data-status", /QUEUED|RUNNING|SUCCEEDED/);
  await untilRow(page, proxyAddr, { "data-desired": "running", "data-observed": "up" });
  await page.getByTestId(`instance-row-${replicaAddr}`).scrollIntoViewIfNeeded();
  await page.screenshot({ path: shot("service-en"), fullPage: true });

  await page.context().addCookies([{ name: "hedwig-locale", value: "zh", url: baseURL! }]);
  await page.reload();
  await page.locator("body[data-hydrated]").waitFor();
  await expect(page.getByTestId(`instance-row-${replicaAddr}`).getByTestId("instance-maintenance")).toContainText("维护至");
  await expect(page.getByTestId("operation-automatic").first()).toContainText("自动");
  await page.screenshot({ path: shot("service-zh"), fullPage: true });

  // the DBA ends it by starting the replica: asked running again, no maintenance
  expect((await page.request.post("/api/trpc/operations.start", { data: { json: { instanceId: replica.id } } })).status()).toBe(200);
  await untilRow(page, replicaAddr, { "data-desired": "running", "data-maintenance": "0" });
});
