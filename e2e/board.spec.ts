import fs from "node:fs";
import path from "node:path";
import { Redis } from "ioredis";
import { expect, open, test } from "./fixtures";
import { opsLogin, until } from "./live-fleet";

/**
 * The board against real processes: the live services of the fleet fixture, polled by the collector
 * every 10 s. A stopped instance must turn its service red with the reason in words.
 */

const tileOf = (page: import("@playwright/test").Page, name: string) => page.locator(`[data-testid="board-tile"][data-service="${name}"]`);

/** kill -9 of a demo instance through its pid file (the local executor's layout): no Hedwig API is told. */
function killInstance(ip: string, software: "memcached" | "redis", port: number) {
  const pid = Number(fs.readFileSync(path.join(".data/e2e/hosts", ip, "data/hedwig/run", software, `${port}.pid`), "utf8").trim());
  process.kill(pid, "SIGKILL");
}

test("a killed Memcached turns its service red with the impact in words and back to green without a click; the incident keeps its timeline; the line's business user is told", async ({
  db,
  liveFleet: live,
  users,
  signedIn,
}) => {
  test.setTimeout(240_000);
  const noc = await users.create({ role: "NOC" });
  // a member of the line before the incident opens: members are told when it does
  const member = await users.create({ role: "BUSINESS", lines: [live.refund.line] });
  const cache = await db.instance.findFirstOrThrow({ where: { serviceId: live.refund.id, role: "CACHE" }, include: { host: true } });
  const page = await signedIn(noc);
  await open(page, "/board");
  const tile = tileOf(page, live.refund.name);
  // Hedwig's reconciler would start a killed cache again within seconds; held as a flapping one is
  // (restarts stopped, escalated), it stays down while the NOC acknowledges it. A DBA's start lifts the hold.
  await db.restartHold.create({
    data: {
      instanceId: cache.id,
      since: new Date(),
      code: "restarts_stopped",
      params: { address: `${cache.host.ip}:${cache.port}`, service: live.refund.name, restarts: 3, windowMinutes: 60 },
    },
  });
  killInstance(cache.host.ip, "memcached", cache.port);
  // within two collector intervals (10 s each), without a reload: the impact on clients first
  await expect(tile).toHaveAttribute("data-level", "RED", { timeout: 40_000 });
  const reasons = tile.getByTestId("tile-reasons");
  await expect(reasons).toContainText("cache node 0 is down: every key fails");
  await expect(reasons).toContainText(`clients see errors: 1 of 1 canary keys failed through the cache nodes ${cache.host.ip}:${cache.port}`);
  await expect(reasons).toContainText(`${cache.host.ip}:${cache.port} (cache node 0) unreachable for`);
  await expect(page.getByTestId("board-tile").first()).toHaveAttribute("data-service", live.refund.name);
  await expect(tile.getByTestId("tile-ack")).toContainText("Not acknowledged");
  await page.screenshot({ path: "test-results/board.png", fullPage: false });

  await tile.getByTestId("tile-acknowledge").click();
  await page.getByTestId("ack-note").fill("on it: starting the cache again");
  await page.getByTestId("ack-save").click();
  await expect(tile.getByTestId("tile-ack")).toContainText(`Acknowledged by ${noc.username}`);
  await expect(tile.getByTestId("tile-ack")).toContainText("on it: starting the cache again");
  await tile.getByTestId("tile-silence").click();
  await page.getByTestId("ack-save").click();
  await expect(tile.getByTestId("tile-ack")).toContainText("Silenced until");

  // the same board in Chinese: the reasons are codes, rendered on the page
  const zhPage = await signedIn(noc, { locale: "zh" });
  await open(zhPage, "/board");
  await expect(tileOf(zhPage, live.refund.name).getByTestId("tile-reasons")).toContainText("缓存节点 0 宕机：所有键都失败");
  await expect(tileOf(zhPage, live.refund.name).getByTestId("tile-reasons")).toContainText("客户端出错");
  await zhPage.screenshot({ path: "test-results/board-zh.png" });

  // a business user of the line is told in the app, not only the DBAs
  const biz = await signedIn(member);
  await open(biz, "/");
  await expect(biz.getByTestId("notifications-unread")).toBeVisible({ timeout: 20_000 });
  await biz.getByTestId("notifications").click();
  const notice = biz.locator('[data-testid="notification"][data-code="incident_opened"]').first();
  await expect(notice).toContainText(`${live.refund.name} is red`);
  // the reason carries its own duration, said once
  await expect(notice).toContainText(/clients see errors: 1 of 1 canary keys failed through the cache nodes \S+ for \d+ (s|min)/);
  await expect(notice).not.toContainText("— for");
  await biz.screenshot({ path: "test-results/business-notice.png" });

  // TV mode on the wall: the same red tile, dark, large type, nothing to click.
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.getByTestId("board-tv").click();
  await expect(page).toHaveURL(/\/board\/tv$/);
  await expect(page.getByTestId("board")).toHaveAttribute("data-tv", "1");
  await expect(page.getByRole("navigation")).toHaveCount(0);
  const tvTile = tileOf(page, live.refund.name);
  await expect(tvTile).toContainText(/cache node 0 is down/);
  const px = (el: Element) => parseFloat(getComputedStyle(el).fontSize);
  const reasonPx = await tvTile.getByTestId("tile-reasons").evaluate(px);
  expect(reasonPx).toBeGreaterThanOrEqual(28);
  expect(await tvTile.locator("a").first().evaluate(px)).toBeGreaterThan(reasonPx);
  const [r, g, b] = await page.evaluate(() => {
    const ctx = document.createElement("canvas").getContext("2d")!;
    ctx.fillStyle = getComputedStyle(document.querySelector('[data-testid="board"]')!).backgroundColor;
    ctx.fillRect(0, 0, 1, 1);
    return [...ctx.getImageData(0, 0, 1, 1).data];
  });
  expect(r! + g! + b!).toBeLessThan(90);
  await expect(tvTile.getByTestId("tile-acknowledge")).toHaveCount(0);
  await page.screenshot({ path: "test-results/board-tv.png" });

  // the cache comes back (started through the API, or by Hedwig itself): the wall turns green with no click
  const back = await db.instance.findUniqueOrThrow({ where: { id: cache.id } });
  const dba = await signedIn({ role: "DBA" });
  expect((await dba.request.post("/api/trpc/operations.start", { data: { json: { instanceId: back.id } } })).status()).toBe(200);
  await expect(tvTile).toHaveCount(0, { timeout: 60_000 });
  await expect(page.locator(`[data-testid="board-chip"][data-service="${live.refund.name}"]`)).toHaveAttribute("data-level", "GREEN");
  expect(await db.incident.count({ where: { serviceId: live.refund.id, closedAt: null } })).toBe(0);

  // the incident list shows it resolved, and its page the timeline from opened to resolved
  await biz.reload();
  await biz.getByTestId("notifications").click();
  await expect(biz.locator('[data-testid="notification"][data-code="incident_resolved"]').first()).toContainText(`${live.refund.name} is green again`);
  await page.setViewportSize({ width: 1440, height: 900 });
  await open(page, "/incidents");
  const row = page.locator('[data-testid="incident-row"]', { hasText: live.refund.name }).first();
  await expect(row).toHaveAttribute("data-open", "0");
  await expect(row).toContainText("Opened: clients see errors");
  await expect(page.getByTestId("incident-ttr").locator(`[data-line="${live.refund.line.code}"]`)).toBeVisible();
  await page.screenshot({ path: "test-results/incidents.png", fullPage: true });
  await row.getByTestId("incident-link").click();
  const timeline = page.getByTestId("incident-timeline");
  await expect(timeline.locator('[data-kind="opened"]')).toContainText("Opened: clients see errors");
  await expect(timeline.locator('[data-kind="acknowledged"]')).toContainText(`Acknowledged by ${noc.username}: “on it: starting the cache again”`);
  await expect(timeline.locator('[data-kind="silenced"]')).toContainText(`Silenced by ${noc.username}`);
  await expect(timeline.locator('[data-kind="resolved"]')).toContainText(/Resolved after \d+ (s|min)/);
  await page.screenshot({ path: "test-results/incident.png", fullPage: true });
});

test("BUSINESS sees only its product lines on the board, and cannot acknowledge", async ({ liveFleet: live, signedIn }) => {
  const mine = [live.cart.line, live.order.line, live.refund.line];
  const page = await signedIn({ role: "BUSINESS", lines: mine });
  await open(page, "/board");
  await expect(page.locator(`[data-service="${live.order.name}"]`)).toBeVisible();
  const lines = await page.locator('[data-testid="board-group"]').evaluateAll((els) => els.map((e) => e.getAttribute("data-line")));
  expect(lines.length).toBeGreaterThan(0);
  for (const l of lines) expect(mine.map((m) => m.code)).toContain(l);
  await expect(page.getByTestId("tile-acknowledge")).toHaveCount(0);
  await expect(page.getByTestId("board-hosts")).toHaveCount(0);
  const res = await page.request.post("/api/trpc/board.acknowledge", { data: { json: { serviceId: live.order.id, note: "x" } } });
  expect(res.status()).toBe(403);
});

test("demo traffic moves the service's curves; the charts render for 1 hour and 30 days with instance health", async ({ db, liveFleet: live, signedIn }) => {
  test.setTimeout(120_000);
  const page = await signedIn({ role: "DBA" });
  await open(page, `/inventory/services/${live.order.id}`);
  // over the cap: refused in words, beside the form
  await page.getByTestId("traffic-rate").fill("5000");
  await page.getByTestId("traffic-start").click();
  await expect(page.getByTestId("service-monitoring").getByRole("alert")).toContainText("capped at 2000 operations per second");
  await page.getByTestId("traffic-rate").fill("800");
  await page.getByTestId("traffic-start").click();
  // real commands through the Twemproxy entry point, seen by the collector on the shards
  await until("the collector to see the demo traffic", 60_000, async () => {
    const [s] = await db.metricSample.findMany({ where: { serviceId: live.order.id, opsPerSec: { gt: 100 } }, take: 1 });
    return s;
  });
  await page.reload();
  const charts = page.getByTestId("service-charts");
  await expect(charts).toHaveAttribute("data-resolution", "raw");
  await expect(charts.getByTestId("chart-qps").locator("canvas").first()).toBeVisible();
  await expect(charts.getByTestId("chart-latency").locator("canvas").first()).toBeVisible();
  expect(Number(await charts.getAttribute("data-points"))).toBeGreaterThan(1);
  await expect(page.getByTestId("instance-health")).toBeVisible();
  await page.getByTestId("service-monitoring").scrollIntoViewIfNeeded();
  await page.screenshot({ path: "test-results/service-charts-1h.png", fullPage: true });
  await page.getByTestId("range-30d").click();
  await expect(charts).toHaveAttribute("data-resolution", "hour");
  await expect(page.getByTestId("chart-resolution")).toContainText("per-hour rollup");
  await page.screenshot({ path: "test-results/service-charts-30d.png", fullPage: true });
});

test("Titan shows a real slow command with its arguments, the commands, the proxy note and the topology", async ({ db, liveFleet: live, signedIn }) => {
  test.setTimeout(90_000);
  const master = await db.instance.findFirstOrThrow({ where: { serviceId: live.order.id, role: "MASTER" }, include: { host: true } });
  const redis = new Redis({ host: master.host.ip, port: master.port, lazyConnect: true, ...(await opsLogin(db, live.order.id)) });
  await redis.connect();
  await redis.config("SET", "slowlog-log-slower-than", "0"); // every command is "slow": the next one is logged
  await redis.set("order:42", "paid"); // (KEYS is disabled by Hedwig's Redis standard)
  await redis.config("SET", "slowlog-log-slower-than", "10000");
  redis.disconnect();
  await until("the collector to store the slowlog entry", 40_000, () =>
    db.slowlogEntry.findFirst({ where: { instanceId: master.id, command: { equals: "set", mode: "insensitive" }, args: { has: "order:42" } } }),
  );

  const page = await signedIn({ role: "NOC" });
  await open(page, `/inventory/services/${live.order.id}`);
  await page.getByTestId("titan-link").click();
  await expect(page).toHaveURL(/\/titan$/);
  await expect(page.getByTestId("titan-slowlog")).toContainText(/set order:42 paid/i);
  await expect(page.getByTestId("titan-heatmap").locator("canvas").first()).toBeVisible();
  await expect(page.getByTestId("titan-hot").locator("canvas").first()).toBeVisible();
  await expect(page.getByTestId("titan-proxy-note")).toContainText("Redis sees only the proxy");
  await expect(page.getByTestId("titan-topology").locator("canvas").first()).toBeVisible();
  await page.screenshot({ path: "test-results/titan.png", fullPage: true });
});

test("the overview shows the fleet figures", async ({ signedIn }) => {
  const page = await signedIn({ role: "ADMIN" });
  await open(page, "/");
  await expect(page.getByTestId("fleet-daily").locator("canvas").first()).toBeVisible();
  await expect(page.getByTestId("fleet-software").locator("canvas").first()).toBeVisible();
  await expect(page.getByTestId("fleet-idc").locator("canvas").first()).toBeVisible();
  await page.screenshot({ path: "test-results/overview.png", fullPage: true });
});
