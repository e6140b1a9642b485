import { expect, open, test } from "./fixtures";
import { demoNet } from "../server/db/seed/demo-net";

/** The e2e server seeds its demo on a loopback block of its own (playwright.config.ts). */
const DEMO = demoNet().prefix;

test("a business user requests a cache, a DBA approves it, and the requester gets a working Redis", async ({ signedIn, liveFleet }) => {
  test.setTimeout(120_000);
  // a 4★ line takes dedicated hosts, which serve one line only: the fleet's cart line already has its
  // own (a new line would need three racks of free dedicated hosts, which the catalogue has not)
  const line = liveFleet.cart.line;
  const page = await signedIn({ role: "BUSINESS", lines: [line] });
  await open(page, "/requests/new");
  await page.getByTestId("req-line").selectOption({ label: await page.getByTestId("req-line").locator("option", { hasText: line.code }).first().innerText() });
  await page.getByTestId("req-kind").selectOption("REDIS_SENTINEL");
  await page.getByTestId("req-purpose").fill("shopping cart sessions of the e2e shop");
  await page.getByTestId("req-capacity").fill("1");
  await page.getByTestId("req-qps").fill("5000");
  await page.getByTestId("req-keys").fill("100000");
  await expect(page.getByTestId("req-plan")).toContainText("Sentinel");
  await page.getByTestId("req-submit").click();
  await expect(page).toHaveURL(/\/requests\/\d+$/);
  const url = page.url();
  await expect(page.getByTestId("req-status")).toContainText("Waiting for approval");
  await expect(page.getByTestId("req-approve")).toHaveCount(0);

  // The DBA, in a browser of their own, approves from the queue.
  const dba = await signedIn({ role: "DBA" });
  await open(dba, "/requests");
  await dba
    .getByRole("link", { name: new RegExp(`#${url.split("/").pop()}\\b`) })
    .first()
    .click();
  // Before saying yes: where each copy would go (master, replica, 3 Sentinels), and a bigger maxmemory.
  await expect(dba.getByTestId("approval-placement").locator("tbody tr")).toHaveCount(5);
  await expect(dba.getByTestId("approval-placement")).toContainText(`${DEMO}.1.`);
  await dba.getByTestId("adjust-memory").fill("2048");
  await expect(dba.getByTestId("adjusted-plan")).toContainText("Adjusted by the DBA: MB per shard");
  await dba.screenshot({ path: "test-results/request-approval-planner.png", fullPage: true });
  await dba.getByTestId("req-approve").click();
  await expect(dba.getByTestId("approval-planner")).toHaveCount(0, { timeout: 15_000 });
  await expect(dba.getByTestId("plan-reasons")).toContainText("Adjusted by the DBA: MB per shard");

  // The requester watches the steps go by, then gets the connection details.
  await expect(page.getByTestId("req-steps")).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId("req-delivery")).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId("req-status")).toContainText(/delivered/i);
  await expect(page.getByTestId("req-command")).toContainText(`redis-cli -h ${DEMO}.1.`);
  await expect(page.getByTestId("req-log")).toContainText("PONG");
  await page.screenshot({ path: "test-results/request-delivered.png", fullPage: true });
  // …and a notice with the entry address.
  await page.reload();
  await expect(page.getByTestId("notifications-unread")).toBeVisible();
  await page.getByTestId("notifications").click();
  const notices = page.getByTestId("notifications-list");
  await expect(notices.getByText(`Request #${url.split("/").pop()} is delivered`)).toBeVisible();
  await expect(notices.getByText(new RegExp(`connect to ${DEMO.replace(".", "\\.")}\\.1\\.\\d+:\\d+`)).first()).toBeVisible();
});

test("a DBA rejects with a comment and the requester reads it", async ({ signedIn, productLines }) => {
  const page = await signedIn({ role: "BUSINESS", lines: [await productLines.create()] });
  await open(page, "/requests/new");
  await page.getByTestId("req-line").selectOption({ index: 1 });
  await page.getByTestId("req-kind").selectOption("MEMCACHED");
  await page.getByTestId("req-ha").uncheck();
  await page.getByTestId("req-purpose").fill("a product page fragment cache");
  await page.getByTestId("req-capacity").fill("2");
  await page.getByTestId("req-qps").fill("10000");
  await page.getByTestId("req-keys").fill("200000");
  await expect(page.getByTestId("req-plan")).toBeVisible();
  await page.getByTestId("req-submit").click();
  await expect(page).toHaveURL(/\/requests\/\d+$/);
  const path = new URL(page.url()).pathname;

  const dba = await signedIn({ role: "DBA" });
  await open(dba, path);
  await dba.getByTestId("req-reject").click();
  await dba.getByTestId("req-reject-comment").fill("use the shared goods cache instead");
  await dba.getByTestId("req-reject-confirm").click();
  await expect(dba.getByTestId("req-status")).toContainText(/rejected/i);

  await page.reload();
  await expect(page.getByTestId("req-status")).toContainText(/rejected/i);
  await expect(page.getByTestId("req-decision")).toContainText("use the shared goods cache instead");
});
