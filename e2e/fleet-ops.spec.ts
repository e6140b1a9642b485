import fs from "node:fs";
import { Redis } from "ioredis";
import { expect, open, test } from "./fixtures";
import { opsLogin } from "./live-fleet";

const how = (JSON.parse(fs.readFileSync("i18n/messages/en/inspections.json", "utf8")) as { how: Record<string, string> }).how;

/**
 * The crash analysis over the demo's generated host history (the r5 machines' crash rate jumps over
 * the last ten days), and the inspection report: an inspection run from the page over the worker's live
 * fleet after a setting was changed by hand, its counts by severity, the drift with where and how to
 * fix, and the one-click fix.
 */
test("crash analysis: daily trends, crashes grouped by model with the jump flagged, and a crash's services", async ({ signedIn }) => {
  const page = await signedIn({ role: "NOC" });
  await open(page, "/crashes");
  await expect(page.getByTestId("trend-fleet")).toHaveAttribute("data-points", /^[1-9]\d*$/);
  await page.getByTestId("by-model").click();
  const r5 = page.getByTestId("crash-group").filter({ hasText: "r5" });
  await expect(r5).toHaveAttribute("data-jumped", "true");
  await expect(r5).toContainText(/rate jumped/);
  await expect(page.getByTestId("crash-group").filter({ hasText: "ebmc7" })).toHaveAttribute("data-jumped", "false");
  await r5.click();
  await expect(page.getByText("Crashes of r5")).toBeVisible();
  const first = page.getByTestId("crash").first();
  await expect(first).toContainText("r5");
  await expect(first.getByTestId("crash-services")).toContainText(/back and running/);
});

test("inspection report: a hand-made drift is found with where and how to fix, and Fix puts the file's value back", async ({
  db,
  liveFleet: live,
  signedIn,
}) => {
  test.setTimeout(180_000);
  // what a DBA does at 3 a.m. and forgets: a setting changed by hand on a live master
  const master = await db.instance.findFirstOrThrow({ where: { serviceId: live.cart.id, role: "MASTER" }, include: { host: true } });
  const redis = new Redis({ host: master.host.ip, port: master.port, lazyConnect: true, ...(await opsLogin(db, live.cart.id)) });
  await redis.connect();
  const [, filePolicy] = (await redis.config("GET", "maxmemory-policy")) as [string, string];
  const handPolicy = filePolicy === "noeviction" ? "allkeys-lru" : "noeviction";
  await redis.config("SET", "maxmemory-policy", handPolicy);

  const page = await signedIn({ role: "DBA" });
  await open(page, "/inspections");
  await page.getByTestId("inspect-now").click();
  await expect(page.getByTestId("inspection-run")).toContainText(/live instances of \d+ services/, { timeout: 150_000 });
  const run = await db.inspectionRun.findFirstOrThrow({ orderBy: { id: "desc" } });
  const counts = run.counts as Record<string, number>;
  await expect(page.getByTestId("severity-WARNING")).toContainText(String(counts.WARNING ?? 0));
  await expect(page.getByTestId("severity-CRITICAL")).toContainText(String(counts.CRITICAL ?? 0));

  // the check's button filters the list; the finding names the instance, the drift and how to fix it
  await page.getByTestId("check-configDrift").first().click();
  const where = `${master.host.ip}:${master.port}`;
  const finding = page.getByTestId("inspection-finding").filter({ hasText: where });
  await expect(finding).toHaveAttribute("data-code", "configDrift");
  await expect(finding).toContainText(`maxmemory-policy ${handPolicy} → ${filePolicy}`);
  await expect(finding).toContainText(how.configDrift!);
  page.once("dialog", (d) => void d.accept());
  await finding.getByTestId("inspection-fix").click();
  await expect(finding).toContainText("Fixed");
  expect(await redis.config("GET", "maxmemory-policy")).toEqual(["maxmemory-policy", filePolicy]);
  redis.disconnect();
});
