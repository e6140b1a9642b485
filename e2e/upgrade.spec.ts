import { expect, open, test } from "./fixtures";

/**
 * A DBA registers a second Twemproxy version (this machine's Debian build under another name), upgrades
 * the worker's live Twemproxy service to it from its page and watches the steps, then rolls it back the same way.
 */
test("a DBA upgrades a service's proxies to a catalogued version, watches the steps, and rolls back", async ({ db, liveFleet, signedIn }) => {
  test.setTimeout(180_000);
  const { order } = liveFleet;
  const page = await signedIn({ role: "DBA" });
  await open(page, "/inventory/catalog");
  await page.getByTestId("version-create").click();
  await page.getByTestId("version-software").selectOption("TWEMPROXY");
  await page.getByTestId("version-version").fill("0.5.0-e2e");
  await page.getByTestId("version-save").click();
  await expect(page.getByTestId("version-TWEMPROXY-0.5.0-e2e")).toBeVisible();

  await open(page, `/inventory/services/${order.id}`);
  page.on("dialog", (d) => void d.accept());
  const upgradeTo = async (version: string) => {
    const jobs = page.getByTestId("operation-service.upgrade");
    const before = await jobs.count();
    await page.getByTestId("upgrade-software").selectOption("TWEMPROXY");
    await page.getByTestId("upgrade-version").selectOption(version);
    await page.getByTestId("upgrade-start").click();
    // the new job on top of the Operations card, open
    await expect(jobs).toHaveCount(before + 1, { timeout: 15_000 });
    const job = jobs.first();
    // the steps show while they run, in order, with their log
    await expect(job).toContainText("Install the version under the deployment standard's path");
    await expect(job).toContainText("Upgrade the replicas (or each instance), one at a time");
    await expect(job).toHaveAttribute("data-status", "SUCCEEDED", { timeout: 120_000 });
    await expect(job).toContainText(new RegExp(`now runs ${version.replace(/\./g, "\\.")}(?!-)`));
    await expect(job).toContainText("drains");
    return job;
  };
  const job = await upgradeTo("0.5.0-e2e");
  await expect(job).toContainText("this machine's Debian build");
  await page.screenshot({ path: "test-results/upgrade-steps.png", fullPage: true });
  const proxies = await db.instance.findMany({ where: { serviceId: order.id, role: "PROXY" } });
  expect(proxies.every((p) => p.version === "0.5.0-e2e")).toBe(true);

  // rollback: an upgrade to the version it ran before
  await page.reload();
  await upgradeTo("0.5.0");
  expect((await db.instance.findMany({ where: { serviceId: order.id, role: "PROXY" } })).every((p) => p.version === "0.5.0")).toBe(true);
});
