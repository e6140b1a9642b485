import { e2eDb } from "./live-fleet";
import { expect, open, signIn, test } from "./fixtures";

// The demo seed writes two years of hourly rollups and the promotions 2024 618 … 2027 双11.
test("a DBA keeps the promotion calendar", async ({ page }) => {
  await signIn(page.request, "DBA");
  await open(page, "/promotions");
  await expect(page.getByTestId("promotion-row").filter({ hasText: "2026 双11" })).toBeVisible();

  await page.getByTestId("promotion-add").click();
  await page.getByTestId("promotion-name").fill("2026 年货节");
  await page.getByTestId("promotion-kind").selectOption("OTHER");
  await page.getByTestId("promotion-starts").fill("2027-01-10T20:00");
  await page.getByTestId("promotion-ends").fill("2027-01-09T20:00");
  await page.getByTestId("promotion-save").click();
  await expect(page.getByRole("alert").filter({ hasText: "the end must be after the start" })).toBeVisible();

  await page.getByTestId("promotion-ends").fill("2027-01-12T02:00");
  await page.getByTestId("promotion-save").click();
  await expect(page.getByRole("status")).toContainText("Saved");
  const row = page.getByTestId("promotion-row").filter({ hasText: "2026 年货节" });
  await expect(row).toContainText("upcoming");
  await expect(row).toContainText("30");
  await page.screenshot({ path: "test-results/promotions-calendar.png", fullPage: true });
});

test("a DBA compares two 双11s, opens a service's curves, reads the risk list and opens a prefilled request", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page.request, "DBA");
  await open(page, "/promotions/compare");
  // Defaults to the last two promotions (2026 618 and 2026 双11): swap 618 for last year's 双11.
  await page.locator("label", { hasText: "2026 618" }).click();
  await page.locator("label", { hasText: "2025 双11" }).click();
  await expect(page).toHaveURL(/p=\d+,\d+/);
  const rows = page.getByTestId("compare-row");
  await expect(rows.first()).toBeVisible();
  await expect(page.getByRole("columnheader", { name: /2025 双11 Peak QPS/ })).toBeVisible();
  // every service in the fleet has a row, those without history too (they are answered in words)
  const db = e2eDb();
  const services = await db.service.count({ where: { status: { not: "DECOMMISSIONED" } } });
  await db.$disconnect();
  await expect(page.getByText(new RegExp(`\\b${services} rows`))).toBeVisible();

  // Largest QPS growth first, then one product line.
  const growthHeader = page.getByRole("button", { name: /QPS growth/ });
  await growthHeader.click();
  await expect(growthHeader).toContainText("▲");
  await growthHeader.click();
  await expect(growthHeader).toContainText("▼");
  const growth = await rows.first().locator("td").nth(7).innerText();
  expect(growth).toMatch(/^\+\d+ %$/);
  await page.getByTestId("compare-search").fill("trade-cart");
  await expect(rows.first()).toContainText("trade-cart");
  await page.screenshot({ path: "test-results/promotions-compare.png", fullPage: true });

  // CSV export of every row of the comparison.
  const download = page.waitForEvent("download");
  await page.getByTestId("compare-csv").click();
  const csv = await (await download).createReadStream();
  const text = await new Promise<string>((resolve) => {
    let s = "";
    csv.on("data", (c) => (s += c));
    csv.on("end", () => resolve(s));
  });
  expect(text.split("\n")[0]).toContain("2025 双11 peak QPS");
  expect(text).toContain("trade-cart");

  await page.getByTestId("compare-level-productLine").click();
  await expect(rows.first()).toContainText("trade-cart");
  await page.getByTestId("compare-level-service").click();

  await rows.first().getByTestId("compare-overlay").click();
  await expect(page).toHaveURL(/\/promotions\/overlay\?service=\d+&p=/);
  await expect(page.getByTestId("overlay-chart").locator("canvas")).toBeVisible();
  await expect(page.getByText(/2026 双11: Peak/)).toBeVisible();
  await page.screenshot({ path: "test-results/promotions-overlay.png", fullPage: true });
  await page.getByTestId("overlay-metric-memMb").click();
  await page.screenshot({ path: "test-results/promotions-overlay-memory.png", fullPage: true });

  await open(page, "/promotions/forecast");
  await expect(page.getByTestId("forecast-counts")).toContainText(/\d+ of \d+ services at risk/);
  const risk = page.getByTestId("risk-row").first();
  await expect(risk).toBeVisible();
  await expect(page.getByTestId("backtest-table")).toContainText("2026 双11");
  await page.screenshot({ path: "test-results/promotions-forecast.png", fullPage: true });

  const service = (await risk.locator("td").first().innerText()).split("\n")[0]!.trim();
  await risk.getByTestId("risk-request").click();
  await expect(page).toHaveURL(/\/requests\/new\?/);
  await page.locator("body[data-hydrated]").waitFor();
  const asked = new URL(page.url()).searchParams;
  await expect(page.getByTestId("req-qps")).toHaveValue(asked.get("peakQps")!);
  await expect(page.getByTestId("req-capacity")).toHaveValue(asked.get("capacityGb")!);
  await expect(page.getByTestId("req-kind")).toHaveValue(asked.get("kind")!);
  await expect(page.getByTestId("req-purpose")).toHaveValue(new RegExp(`Scale-out of ${service} for 2026 双12`));
  await page.screenshot({ path: "test-results/promotions-request.png", fullPage: true });
});

test("a business user compares only their product lines' services and cannot edit the calendar", async ({ page }) => {
  await signIn(page.request, "BUSINESS");
  await open(page, "/promotions");
  await expect(page.getByTestId("promotion-row").first()).toBeVisible();
  await expect(page.getByTestId("promotion-add")).toHaveCount(0);
  await open(page, "/promotions/compare");
  const rows = page.getByTestId("compare-row");
  await expect(rows.first()).toBeVisible();
  const lines = await rows.getByTestId("compare-row-line").allInnerTexts();
  expect(new Set(lines)).toEqual(new Set(lines.filter((l) => ["trade-cart", "trade-order", "trade-refund"].includes(l))));
  await open(page, "/promotions/forecast");
  await expect(page.getByTestId("risk-request")).toHaveCount(0);
});
