import { until } from "./live-fleet";
import { expect, open, test } from "./fixtures";

/**
 * Retiring a whole service: a Memcached service of the business user's line is delivered for this
 * spec (through the API, so the worker's live services stay as the other specs expect them); the business
 * user asks to retire it from its page, the DBA sees who is connected and approves from the queue,
 * and the service ends up retired, in the catalogue.
 */
test("a business user asks to retire a service and a DBA approves", async ({ db, liveFleet, signedIn }) => {
  test.setTimeout(180_000);
  const line = liveFleet.refund.line;
  const page = await signedIn({ role: "BUSINESS", lines: [line] });
  const form = {
    productLineId: line.id,
    kind: "MEMCACHED",
    purpose: "e2e: a cache to retire",
    capacityGb: 1,
    peakQps: 1000,
    expectedKeys: 1000,
    persistence: "none",
    highAvailability: false,
    idcPreference: null,
    readRatio: 80,
  };
  const created = await page.request.post("/api/trpc/requests.create", { data: { json: { form, submit: true } } });
  expect(created.status(), await created.text()).toBe(200);
  const requestId = ((await created.json()) as { result: { data: { json: { id: number } } } }).result.data.json.id;

  const dba = await signedIn({ role: "DBA" });
  const approved = await dba.request.post("/api/trpc/requests.approve", { data: { json: { id: requestId, comment: null } } });
  expect(approved.status(), await approved.text()).toBe(200);
  const delivered = await until("the cache to be delivered", 90_000, async () => {
    const r = await db.resourceRequest.findUniqueOrThrow({ where: { id: requestId } });
    return r.status === "DELIVERED" && r.serviceId;
  });

  // the business user asks from the service's page
  await open(page, `/inventory/services/${delivered}`);
  await page.getByTestId("retire-ask").click();
  await page.getByTestId("retire-reason").fill("refunds moved to the new cache");
  await page.getByTestId("retire-submit").click();
  await expect(page).toHaveURL(/\/requests\/\d+$/);
  const retireUrl = page.url();
  await expect(page.getByTestId("req-status")).toContainText("Waiting for approval");
  await expect(page.getByTestId("retire-detail")).toContainText("refunds moved to the new cache");
  await expect(page.getByTestId("req-approve")).toHaveCount(0);

  // the DBA finds it in the queue, sees who is connected first, and approves
  await open(dba, "/requests");
  await expect(dba.getByTestId("retire-label").first()).toBeVisible();
  await open(dba, new URL(retireUrl).pathname);
  await expect(dba.getByTestId("retire-clients")).toBeVisible();
  await expect(dba.getByTestId("retire-vips")).toBeVisible();
  await dba.screenshot({ path: "test-results/decommission-approval.png", fullPage: true });
  await dba.getByTestId("req-approve").click();

  // the requester watches it done: retired, still in the catalogue
  await expect(page.getByTestId("req-status")).toContainText(/delivered/i, { timeout: 60_000 });
  const service = await db.service.findUniqueOrThrow({ where: { id: delivered } });
  expect(service.status).toBe("DECOMMISSIONED");
  expect(await db.portClaim.count({ where: { instance: { serviceId: service.id } } })).toBe(0);
  await open(page, `/inventory/services/${service.id}`);
  await expect(page.getByTestId("retire-ask")).toHaveCount(0);
  await page.screenshot({ path: "test-results/decommission-retired.png", fullPage: true });
});
