import { expect, open, signIn, test } from "./fixtures";
import { AMBER_REASON, e2eDb, RED_REASON, writeBoardRows, type BoardFixture } from "./monitoring-fixture";
import { setServiceHealth } from "../tests/fixtures/monitoring-rows";
import type { Db } from "../server/db/client";

let db: Db;
let fx: BoardFixture;

test.beforeAll(async () => {
  db = e2eDb();
  fx = await writeBoardRows(db);
});
test.afterAll(async () => db.$disconnect());

test("NOC sees the red tile first, with its reason and age, and acknowledges it", async ({ page }) => {
  await signIn(page.request, "NOC");
  await open(page, "/board");
  const first = page.getByTestId("board-tile").first();
  await expect(first).toHaveAttribute("data-service", fx.red.name);
  await expect(first).toHaveAttribute("data-level", "RED");
  await expect(first.getByTestId("tile-reasons")).toContainText(RED_REASON);
  await expect(first.getByTestId("tile-age")).toContainText(/7 min|8 min/);
  await expect(first.getByTestId("tile-ack")).toContainText("Not acknowledged");
  await expect(page.getByTestId("board-group").first()).toHaveAttribute("data-worst", "RED");
  await expect(page.getByTestId("total-RED")).toContainText("1");
  await expect(page.getByTestId("board-not-monitored")).not.toHaveAttribute("open", "");
  await page.screenshot({ path: "test-results/board.png", fullPage: false });

  await first.getByTestId("tile-acknowledge").click();
  await page.getByTestId("ack-note").fill("on it: restarting the master");
  await page.getByTestId("ack-save").click();
  await expect(first.getByTestId("tile-ack")).toContainText("Acknowledged by noc");
  await expect(first.getByTestId("tile-ack")).toContainText("on it: restarting the master");
  await expect(page.getByTestId("total-unack")).toContainText("0");

  await first.getByTestId("tile-silence").click();
  await page.getByTestId("ack-save").click();
  await expect(first.getByTestId("tile-ack")).toContainText("Silenced until");
});

test("the board is live: a service turning red shows within 10 s without a reload", async ({ page }) => {
  await signIn(page.request, "DBA");
  await open(page, "/board");
  const victim = (await db.serviceHealth.findFirstOrThrow({ where: { level: "GREEN" }, include: { service: true } })).service;
  await expect(page.locator(`[data-testid="board-tile"][data-service="${victim.name}"]`)).toHaveCount(0);
  await setServiceHealth(db, victim.id, "RED", [{ code: "repl_down", level: "RED", message: "replication link down on 127.0.1.3:6379" }], { incident: true });
  await expect(page.locator(`[data-testid="board-tile"][data-service="${victim.name}"]`)).toContainText("replication link down", { timeout: 10_000 });
  await setServiceHealth(db, victim.id, "GREEN", []);
  await db.incident.updateMany({ where: { serviceId: victim.id, closedAt: null }, data: { closedAt: new Date() } });
});

test("TV mode: full screen, dark, large type, no sidebar", async ({ page }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await signIn(page.request, "NOC");
  await open(page, "/board");
  await page.getByTestId("board-tv").click();
  await expect(page).toHaveURL(/\/board\/tv$/);
  const board = page.getByTestId("board");
  await expect(board).toHaveAttribute("data-tv", "1");
  await expect(page.getByRole("navigation")).toHaveCount(0);
  const tile = page.locator(`[data-testid="board-tile"][data-service="${fx.red.name}"]`);
  await expect(tile).toContainText(RED_REASON);
  // Read from 5 metres: the reason at least 28 px, the name larger still.
  const px = (sel: string) => tile.getByTestId(sel).evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(await px("tile-reasons")).toBeGreaterThanOrEqual(28);
  expect(await tile.locator("a").first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize))).toBeGreaterThan(await px("tile-reasons"));
  // Dark: the computed background (in whatever colour space the browser reports) painted to a pixel.
  const [r, g, b] = await page.evaluate(() => {
    const ctx = document.createElement("canvas").getContext("2d")!;
    ctx.fillStyle = getComputedStyle(document.querySelector('[data-testid="board"]')!).backgroundColor;
    ctx.fillRect(0, 0, 1, 1);
    return [...ctx.getImageData(0, 0, 1, 1).data];
  });
  expect(r! + g! + b!).toBeLessThan(90);
  await expect(tile.getByTestId("tile-acknowledge")).toHaveCount(0);
  await page.screenshot({ path: "test-results/board-tv.png" });
});

test("BUSINESS sees only its product lines on the board, and cannot acknowledge", async ({ page }) => {
  await signIn(page.request, "BUSINESS");
  await open(page, "/board");
  await expect(page.locator(`[data-testid="board-tile"][data-service="${fx.amber.name}"]`)).toContainText(AMBER_REASON);
  await expect(page.locator(`[data-service="${fx.red.name}"]`)).toHaveCount(0);
  const lines = await page.locator('[data-testid="board-group"]').evaluateAll((els) => els.map((e) => e.getAttribute("data-line")));
  expect(lines.length).toBeGreaterThan(0);
  for (const l of lines) expect(["trade-cart", "trade-order", "trade-refund"]).toContain(l);
  await expect(page.getByTestId("tile-acknowledge")).toHaveCount(0);
  await expect(page.getByTestId("board-hosts")).toHaveCount(0);
  const res = await page.request.post("/api/trpc/board.acknowledge", { data: { json: { serviceId: fx.amber.id, note: "x" } } });
  expect(res.status()).toBe(403);
});

test("the service page charts render for 1 hour and 30 days, with instance health", async ({ page }) => {
  await signIn(page.request, "DBA");
  await open(page, `/inventory/services/${fx.red.id}`);
  const charts = page.getByTestId("service-charts");
  await expect(charts).toHaveAttribute("data-resolution", "raw");
  await expect(charts.getByTestId("chart-qps").locator("canvas").first()).toBeVisible();
  await expect(charts.getByTestId("chart-latency").locator("canvas").first()).toBeVisible();
  expect(Number(await charts.getAttribute("data-points"))).toBeGreaterThan(300);
  await expect(page.getByTestId("instance-health")).toBeVisible();
  await page.getByTestId("service-monitoring").scrollIntoViewIfNeeded();
  await page.screenshot({ path: "test-results/service-charts-1h.png", fullPage: true });
  await page.getByTestId("range-30d").click();
  await expect(charts).toHaveAttribute("data-resolution", "hour");
  await expect(page.getByTestId("chart-resolution")).toContainText("per-hour rollup");
  await page.screenshot({ path: "test-results/service-charts-30d.png", fullPage: true });
  // The traffic generator refuses what is over its caps, in words.
  await page.getByTestId("traffic-rate").fill("5000");
  await page.getByTestId("traffic-start").click();
  await expect(page.getByTestId("service-monitoring").getByRole("alert")).toContainText("capped at 2000 operations per second");
});

test("Titan renders the heatmap, commands, slowlog, sources with the proxy note, and the topology", async ({ page }) => {
  await signIn(page.request, "NOC");
  await open(page, `/inventory/services/${fx.red.id}`);
  await page.getByTestId("titan-link").click();
  await expect(page).toHaveURL(/\/titan$/);
  await expect(page.getByTestId("titan-heatmap").locator("canvas").first()).toBeVisible();
  await expect(page.getByTestId("titan-hot").locator("canvas").first()).toBeVisible();
  await expect(page.getByTestId("titan-slowlog")).toContainText("KEYS order:*");
  await expect(page.getByTestId("titan-proxy-note")).toContainText("Redis sees only the proxy");
  await expect(page.getByTestId("titan-sources")).toContainText("127.0.1.200");
  await expect(page.getByTestId("titan-topology").locator("canvas").first()).toBeVisible();
  await page.screenshot({ path: "test-results/titan.png", fullPage: true });
});

test("the overview shows the fleet figures", async ({ page }) => {
  await signIn(page.request, "ADMIN");
  await open(page, "/");
  await expect(page.getByTestId("fleet-daily").locator("canvas").first()).toBeVisible();
  await expect(page.getByTestId("fleet-software").locator("canvas").first()).toBeVisible();
  await expect(page.getByTestId("fleet-idc").locator("canvas").first()).toBeVisible();
  await page.screenshot({ path: "test-results/overview.png", fullPage: true });
});
