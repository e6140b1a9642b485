import type { Db } from "../server/db/client";
import { expect, open, test, type Line, type TestFixtures } from "./fixtures";

/**
 * The journeys make the promotions they compare and the hourly history they read, so they pass on any
 * date: a service of their own runs at 1,000 QPS, 3,000 at the first promotion and 6,000 at the
 * second; its QPS growth is +100 % and its multiples 3× and 6×, whatever the demo calendar holds.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** 30 days of hourly rollups for `serviceId`: `base` QPS, and each window's own figure inside it. */
async function history(db: Db, serviceId: number, base: number, windows: { startsAt: Date; endsAt: Date; qps: number }[]) {
  const now = Math.floor(Date.now() / HOUR) * HOUR;
  const qpsAt = (t: number) => windows.find((w) => t >= w.startsAt.getTime() && t < w.endsAt.getTime())?.qps ?? base;
  await db.serviceHour.createMany({
    data: Array.from({ length: 30 * 24 }, (_, i) => {
      const t = now - (30 * 24 - i) * HOUR;
      return { serviceId, bucket: new Date(t), samples: 60, opsAvg: qpsAt(t), opsMax: qpsAt(t), usedMemoryMbMax: 100, maxmemoryMb: 1024, clientsMax: 10 };
    }),
  });
}

/** Two past promotions of the test's own (12 and 5 days ago, a day each) and a service whose peak doubled between them. */
async function twoPromotions(db: Db, fixtures: Pick<TestFixtures, "promotions" | "services">, line: Line) {
  const hour = Math.floor(Date.now() / HOUR) * HOUR;
  const tag = Date.now().toString(36);
  const first = await fixtures.promotions.create({
    name: `E2E sale ${tag} A`,
    kind: "OTHER",
    startsAt: new Date(hour - 12 * DAY),
    endsAt: new Date(hour - 11 * DAY),
  });
  const second = await fixtures.promotions.create({
    name: `E2E sale ${tag} B`,
    kind: "OTHER",
    startsAt: new Date(hour - 5 * DAY),
    endsAt: new Date(hour - 4 * DAY),
  });
  const service = await fixtures.services.create({ line, kind: "REDIS_STANDALONE", name: `e2e-promo-${tag}` });
  await history(db, service.id, 1000, [
    { startsAt: new Date(hour - 12 * DAY), endsAt: new Date(hour - 11 * DAY), qps: 3000 },
    { startsAt: new Date(hour - 5 * DAY), endsAt: new Date(hour - 4 * DAY), qps: 6000 },
  ]);
  return { first, second, service };
}

/**
 * Two Redis shards and two proxies behind Twemproxy (catalogue rows on a demo host, no processes)
 * running `qps` for 30 days: more than two shards serve (60,000 QPS each by default), so it is at risk.
 */
async function shardedService(db: Db, services: TestFixtures["services"], line: Line, qps: number) {
  const service = await services.create({ line, kind: "REDIS_TWEMPROXY", name: `e2e-sharded-${Date.now().toString(36)}` });
  const host = await db.host.findFirstOrThrow({ where: { isDemo: true }, orderBy: { id: "asc" } });
  // ports above the catalogue's ranges; UNKNOWN (catalogued only): no collector or reconciler looks for a process
  const port = 60_000 + (service.id % 1_000) * 4;
  await db.instance.createMany({
    data: [
      ...[0, 1].map((shardIndex) => ({
        serviceId: service.id,
        hostId: host.id,
        port: port + shardIndex,
        software: "REDIS" as const,
        role: "MASTER" as const,
        shardIndex,
        version: "7.0.15",
        maxmemoryMb: 1024,
        state: "UNKNOWN" as const,
      })),
      ...[2, 3].map((n) => ({
        serviceId: service.id,
        hostId: host.id,
        port: port + n,
        software: "TWEMPROXY" as const,
        role: "PROXY" as const,
        version: "0.5.0",
        state: "UNKNOWN" as const,
      })),
    ],
  });
  await history(db, service.id, qps, []);
  return service;
}

/** `<input type="datetime-local">` text in the browser's zone, `days` from now at 20:00. */
function localInput(days: number, plusHours = 0): string {
  const d = new Date(Date.now() + days * 86_400_000);
  d.setHours(20 + plusHours, 0, 0, 0);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

test("a DBA keeps the promotion calendar", async ({ signedIn, promotions }) => {
  const past = await promotions.create({ kind: "OTHER", startsAt: new Date(Date.now() - 3 * DAY), endsAt: new Date(Date.now() - 2 * DAY) });
  const name = `E2E 年货节 ${Date.now().toString(36)}`;
  promotions.adopt(name);
  const page = await signedIn({ role: "DBA" });
  await open(page, "/promotions");
  await expect(page.getByTestId("promotion-row").filter({ hasText: past.name })).toBeVisible();

  await page.getByTestId("promotion-add").click();
  await page.getByTestId("promotion-name").fill(name);
  await page.getByTestId("promotion-kind").selectOption("OTHER");
  await page.getByTestId("promotion-starts").fill(localInput(40));
  await page.getByTestId("promotion-ends").fill(localInput(39));
  await page.getByTestId("promotion-save").click();
  await expect(page.getByRole("alert").filter({ hasText: "the end must be after the start" })).toBeVisible();

  // 20:00 to 02:00 a day later: 30 hours.
  await page.getByTestId("promotion-ends").fill(localInput(41, 6));
  await page.getByTestId("promotion-save").click();
  await expect(page.getByRole("status")).toContainText("Saved");
  const row = page.getByTestId("promotion-row").filter({ hasText: name });
  await expect(row).toContainText("upcoming");
  await expect(row).toContainText("30");
  await page.screenshot({ path: "test-results/promotions-calendar.png", fullPage: true });
});

test("a DBA compares two sales, opens a service's curves, reads the risk list and opens a prefilled request", async ({
  db,
  signedIn,
  productLines,
  promotions,
  services,
}) => {
  test.setTimeout(120_000);
  const line = await productLines.create();
  const { first, second, service } = await twoPromotions(db, { promotions, services }, line);
  // a coming 双11: forecast with the multiples of the demo's last 双11 (the tests' own sales are OTHER)
  const upcoming = await promotions.create({
    name: `E2E 双11 ${Date.now().toString(36)} next`,
    kind: "DOUBLE_11",
    startsAt: new Date(Date.now() + 20 * DAY),
    endsAt: new Date(Date.now() + 21 * DAY),
  });
  const sharded = await shardedService(db, services, line, 200_000);
  const page = await signedIn({ role: "DBA" });
  await open(page, `/promotions/compare?p=${first.id},${second.id}`);
  for (const p of [first, second]) await expect(page.locator("label", { hasText: p.name }).locator("input")).toBeChecked();
  const rows = page.getByTestId("compare-row");
  await expect(rows.first()).toBeVisible();
  await expect(page.getByRole("columnheader", { name: new RegExp(`${first.name} Peak QPS`) })).toBeVisible();
  // every service in the fleet has a row, those without history too (they are answered in words)
  const count = await db.service.count({ where: { status: { not: "DECOMMISSIONED" } } });
  await expect(page.getByText(new RegExp(`\\b${count} rows`))).toBeVisible();

  // Largest QPS growth first: at least the test's own service grew (+100 %), so the top row grew.
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
  await page.getByTestId("compare-search").fill(service.name);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(service.name);
  await expect(rows.first().locator("td:nth-child(8)")).toHaveText("+100 %");
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
  expect(text.split("\n")[0]).toContain(`${first.name} peak QPS`);
  expect(text).toContain(service.name);

  await page.getByTestId("compare-level-productLine").click();
  await page.getByTestId("compare-search").fill(line.code);
  await expect(rows.first()).toContainText(line.code);
  await page.getByTestId("compare-level-service").click();
  await page.getByTestId("compare-search").fill(service.name);

  await rows.first().getByTestId("compare-overlay").click();
  await expect(page).toHaveURL(new RegExp(`/promotions/overlay\\?service=${service.id}&p=`));
  await expect(page.getByTestId("overlay-chart").locator("canvas")).toBeVisible();
  await expect(page.getByText(`${second.name}: Peak`)).toBeVisible();
  await page.screenshot({ path: "test-results/promotions-overlay.png", fullPage: true });
  await page.getByTestId("overlay-metric-memMb").click();
  await page.screenshot({ path: "test-results/promotions-overlay-memory.png", fullPage: true });

  await open(page, `/promotions/forecast?target=${upcoming.id}`);
  await expect(page.getByTestId("forecast-counts")).toContainText(/\d+ of \d+ services at risk/);
  // the demo catalogue holds services beyond their capacity at any date (server/db/seed/history.ts)
  await expect(page.getByTestId("risk-row").first()).toBeVisible();
  await expect(page.getByTestId("backtest-table")).toContainText(second.name);
  await page.screenshot({ path: "test-results/promotions-forecast.png", fullPage: true });

  // shards behind Twemproxy: "scale out" is a resize of that very service, with the forecast's shard count
  await page.getByTestId("forecast-search").fill(sharded.name);
  const resizable = page.getByTestId("risk-row").filter({ hasText: sharded.name });
  await expect(resizable.getByTestId("risk-request")).toHaveAttribute("href", new RegExp(`^/inventory/services/${sharded.id}\\?resize=\\d+$`));
  await resizable.getByTestId("risk-request").click();
  await expect(page).toHaveURL(/\/inventory\/services\/\d+\?resize=\d+/);
  await page.locator("body[data-hydrated]").waitFor();
  await expect(page.getByTestId("resize-shards")).toHaveValue(new URL(page.url()).searchParams.get("resize")!);
  await expect(page.getByTestId("resize-dry-run").or(page.getByTestId("resize-refused"))).toBeVisible();
  await page.screenshot({ path: "test-results/promotions-resize.png", fullPage: true });
  await page.goBack();
  await page.getByTestId("forecast-search").fill("");

  // any other kind: a request for more, prefilled with the forecast's figures
  const other = page
    .getByTestId("risk-row")
    .filter({ has: page.locator('[data-testid="risk-request"][href^="/requests/new"]') })
    .first();
  await expect(other).toBeVisible();
  const name = (await other.locator("td").first().innerText()).split("\n")[0]!.trim();
  await other.getByTestId("risk-request").click();
  await expect(page).toHaveURL(/\/requests\/new\?/);
  await page.locator("body[data-hydrated]").waitFor();
  const asked = new URL(page.url()).searchParams;
  await expect(page.getByTestId("req-qps")).toHaveValue(asked.get("peakQps")!);
  await expect(page.getByTestId("req-capacity")).toHaveValue(asked.get("capacityGb")!);
  await expect(page.getByTestId("req-kind")).toHaveValue(asked.get("kind")!);
  await expect(page.getByTestId("req-purpose")).toHaveValue(new RegExp(`Scale-out of ${name} for ${upcoming.name}`));
  await page.screenshot({ path: "test-results/promotions-request.png", fullPage: true });
});

test("a business user compares only their product lines' services and cannot edit the calendar", async ({
  db,
  signedIn,
  productLines,
  promotions,
  services,
}) => {
  const line = await productLines.create();
  const { first, second, service } = await twoPromotions(db, { promotions, services }, line);
  const page = await signedIn({ role: "BUSINESS", lines: [line] });
  await open(page, "/promotions");
  await expect(page.getByTestId("promotion-row").first()).toBeVisible();
  await expect(page.getByTestId("promotion-add")).toHaveCount(0);
  await open(page, `/promotions/compare?p=${first.id},${second.id}`);
  const rows = page.getByTestId("compare-row");
  // their line's one service, with its figures
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(service.name);
  await expect(rows.first().getByTestId("compare-row-line")).toHaveText(line.code);
  await expect(rows.first().locator("td:nth-child(8)")).toHaveText("+100 %");
  await open(page, "/promotions/forecast");
  await expect(page.getByTestId("risk-request")).toHaveCount(0);
});
