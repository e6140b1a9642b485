import type { Promotion } from "../generated/prisma/client";
import { e2eDb } from "./live-fleet";
import { expect, open, signIn, test } from "./fixtures";

/**
 * The demo seed writes two years of hourly rollups and the 618s, 双11s and 双12s around the day it
 * runs (server/db/seed/history.ts), so these journeys read which promotions exist instead of
 * naming a year: they pass on any date.
 */
async function calendar(): Promise<{ past: Promotion[]; upcoming: Promotion[] }> {
  const db = e2eDb();
  const now = new Date();
  const all = await db.promotion.findMany({ orderBy: { startsAt: "desc" } });
  await db.$disconnect();
  return { past: all.filter((p) => p.endsAt <= now), upcoming: all.filter((p) => p.startsAt > now).reverse() };
}

/** `<input type="datetime-local">` text in the browser's zone, `days` from now at 20:00. */
function localInput(days: number, plusHours = 0): string {
  const d = new Date(Date.now() + days * 86_400_000);
  d.setHours(20 + plusHours, 0, 0, 0);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

test("a DBA keeps the promotion calendar", async ({ page }) => {
  const { past } = await calendar();
  await signIn(page.request, "DBA");
  await open(page, "/promotions");
  await expect(page.getByTestId("promotion-row").filter({ hasText: past[0]!.name })).toBeVisible();

  await page.getByTestId("promotion-add").click();
  await page.getByTestId("promotion-name").fill("E2E 年货节");
  await page.getByTestId("promotion-kind").selectOption("OTHER");
  await page.getByTestId("promotion-starts").fill(localInput(40));
  await page.getByTestId("promotion-ends").fill(localInput(39));
  await page.getByTestId("promotion-save").click();
  await expect(page.getByRole("alert").filter({ hasText: "the end must be after the start" })).toBeVisible();

  // 20:00 to 02:00 a day later: 30 hours.
  await page.getByTestId("promotion-ends").fill(localInput(41, 6));
  await page.getByTestId("promotion-save").click();
  await expect(page.getByRole("status")).toContainText("Saved");
  const row = page.getByTestId("promotion-row").filter({ hasText: "E2E 年货节" });
  await expect(row).toContainText("upcoming");
  await expect(row).toContainText("30");
  await page.screenshot({ path: "test-results/promotions-calendar.png", fullPage: true });
});

test("a DBA compares two 双11s, opens a service's curves, reads the risk list and opens a prefilled request", async ({ page }) => {
  test.setTimeout(120_000);
  const { past, upcoming } = await calendar();
  const [latest, earlier] = past.filter((p) => p.kind === "DOUBLE_11");
  const defaults = past.slice(0, 2);
  await signIn(page.request, "DBA");
  await open(page, "/promotions/compare");
  // Defaults to the last two promotions that have happened: swap them for the last two 双11s.
  for (const p of defaults) await expect(page.locator("label", { hasText: p.name }).locator("input")).toBeChecked();
  for (const p of defaults.filter((d) => d.id !== latest!.id && d.id !== earlier!.id)) await page.locator("label", { hasText: p.name }).click();
  for (const p of [earlier!, latest!].filter((w) => !defaults.some((d) => d.id === w.id))) await page.locator("label", { hasText: p.name }).click();
  await expect(page).toHaveURL(new RegExp(`p=(${earlier!.id},${latest!.id}|${latest!.id},${earlier!.id})(&|$)`));
  const rows = page.getByTestId("compare-row");
  await expect(rows.first()).toBeVisible();
  await expect(page.getByRole("columnheader", { name: new RegExp(`${earlier!.name} Peak QPS`) })).toBeVisible();
  // every service in the fleet has a row, those without history too (they are answered in words)
  const db = e2eDb();
  const services = await db.service.count({ where: { status: { not: "DECOMMISSIONED" } } });
  await db.$disconnect();
  await expect(page.getByText(new RegExp(`\\b${services} rows`))).toBeVisible();

  // Largest QPS growth first (a year of growth and a bigger sale: the top service grew), then one product line.
  const growthHeader = page.getByRole("button", { name: /QPS growth/ });
  await growthHeader.click();
  await expect(growthHeader).toContainText("▲");
  await growthHeader.click();
  await expect(growthHeader).toContainText("▼");
  // the header turns before the rows re-sort: wait for the rows (a web-first assertion), then read them
  await expect(rows.first().locator("td:nth-child(8)")).toHaveText(/^\+\d+ %$/);
  await expect
    .poll(async () => {
      const figures = (await rows.locator("td:nth-child(8)").allInnerTexts())
        .map((g) => g.trim())
        .filter((g) => /^[+-]?\d+ %$/.test(g))
        .map((g) => Number(g.replace(/[ %+]/g, "")));
      return figures.every((f, i) => i === 0 || figures[i - 1]! >= f);
    })
    .toBe(true);
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
  expect(text.split("\n")[0]).toContain(`${earlier!.name} peak QPS`);
  expect(text).toContain("trade-cart");

  await page.getByTestId("compare-level-productLine").click();
  await expect(rows.first()).toContainText("trade-cart");
  await page.getByTestId("compare-level-service").click();

  await rows.first().getByTestId("compare-overlay").click();
  await expect(page).toHaveURL(/\/promotions\/overlay\?service=\d+&p=/);
  await expect(page.getByTestId("overlay-chart").locator("canvas")).toBeVisible();
  await expect(page.getByText(`${latest!.name}: Peak`)).toBeVisible();
  await page.screenshot({ path: "test-results/promotions-overlay.png", fullPage: true });
  await page.getByTestId("overlay-metric-memMb").click();
  await page.screenshot({ path: "test-results/promotions-overlay-memory.png", fullPage: true });

  await open(page, "/promotions/forecast");
  await expect(page.getByTestId("forecast-counts")).toContainText(/\d+ of \d+ services at risk/);
  const risk = page.getByTestId("risk-row").first();
  await expect(risk).toBeVisible();
  await expect(page.getByTestId("backtest-table")).toContainText(latest!.name);
  await page.screenshot({ path: "test-results/promotions-forecast.png", fullPage: true });

  const service = (await risk.locator("td").first().innerText()).split("\n")[0]!.trim();
  const scaleOut = risk.getByTestId("risk-request");
  if ((await scaleOut.getAttribute("href"))!.startsWith("/inventory/services/")) {
    // shards behind Twemproxy: a resize of that very service, with the forecast's shard count
    await scaleOut.click();
    await expect(page).toHaveURL(/\/inventory\/services\/\d+\?resize=\d+/);
    await page.locator("body[data-hydrated]").waitFor();
    await expect(page.getByTestId("resize-shards")).toHaveValue(new URL(page.url()).searchParams.get("resize")!);
    await expect(page.getByTestId("resize-dry-run").or(page.getByTestId("resize-refused"))).toBeVisible();
    await page.screenshot({ path: "test-results/promotions-resize.png", fullPage: true });
    return;
  }
  await scaleOut.click();
  await expect(page).toHaveURL(/\/requests\/new\?/);
  await page.locator("body[data-hydrated]").waitFor();
  const asked = new URL(page.url()).searchParams;
  await expect(page.getByTestId("req-qps")).toHaveValue(asked.get("peakQps")!);
  await expect(page.getByTestId("req-capacity")).toHaveValue(asked.get("capacityGb")!);
  await expect(page.getByTestId("req-kind")).toHaveValue(asked.get("kind")!);
  await expect(page.getByTestId("req-purpose")).toHaveValue(new RegExp(`Scale-out of ${service} for ${upcoming[0]!.name}`));
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
