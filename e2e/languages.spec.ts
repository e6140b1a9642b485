import type { Browser, Page } from "@playwright/test";
import type { Db } from "../server/db/client";
import { expect, open, signIn, test, type DemoRole } from "./fixtures";
import { e2eDb, liveServices, type LiveService } from "./live-fleet";

/**
 * What the server writes for people reads in the reader's language: job steps and logs, the plan's
 * reasons, the form's refusals. Texts are stored as codes, so the same job reads in both languages.
 */
test.describe.configure({ mode: "serial" });

let db: Db;
let cart: LiveService;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  db = e2eDb();
  ({ cart } = await liveServices(db));
});
test.afterAll(async () => db.$disconnect());

/** A page of a fresh context whose language cookie says `locale`, signed in as `role`. */
async function reader(browser: Browser, baseURL: string, locale: "en" | "zh", role: DemoRole): Promise<Page> {
  const context = await browser.newContext();
  await context.addCookies([{ name: "hedwig-locale", value: locale, url: baseURL }]);
  const page = await context.newPage();
  await signIn(page.request, role);
  return page;
}

test("the provisioning job of a delivered service reads in Chinese and in English", async ({ browser, baseURL }) => {
  const request = await db.resourceRequest.findFirstOrThrow({ where: { serviceId: cart.id } });
  const zh = await reader(browser, baseURL!, "zh", "DBA");
  await open(zh, `/requests/${request.id}`);
  await expect(zh.getByTestId("req-steps")).toContainText("通过调度器锁定资源");
  await expect(zh.getByTestId("req-steps")).toContainText("配置主从复制、Sentinel 与 Twemproxy");
  await expect(zh.getByTestId("req-log")).toContainText("▶ 开始交付");
  await expect(zh.getByTestId("req-log")).toContainText("已交付：连接");
  await expect(zh.getByTestId("req-log")).not.toContainText("Lock resources through the scheduler");
  await zh.screenshot({ path: "test-results/job-zh.png", fullPage: true });

  const en = await reader(browser, baseURL!, "en", "DBA");
  await open(en, `/requests/${request.id}`);
  await expect(en.getByTestId("req-steps")).toContainText("Lock resources through the scheduler");
  await expect(en.getByTestId("req-log")).toContainText("delivered: connect to");
  await en.screenshot({ path: "test-results/job-en.png", fullPage: true });
});

test("the plan's reasons and the form's refusals follow the reader's language", async ({ browser, baseURL }) => {
  for (const locale of ["zh", "en"] as const) {
    const page = await reader(browser, baseURL!, locale, "BUSINESS");
    await open(page, "/requests/new");
    await page
      .getByTestId("req-line")
      .selectOption({ label: await page.getByTestId("req-line").locator("option", { hasText: "trade-cart" }).first().innerText() });
    await page.getByTestId("req-kind").selectOption("REDIS_TWEMPROXY");
    await page.getByTestId("req-capacity").fill("40");
    await page.getByTestId("req-qps").fill("200000");
    await page.getByTestId("req-keys").fill("1000000");
    await page.getByTestId("req-purpose").fill("cart");
    await page.getByTestId("req-purpose").blur();
    const reasons = page.getByTestId("plan-reasons");
    if (locale === "zh") {
      await expect(reasons).toContainText("内存：");
      await expect(reasons).toContainText("个代理：");
      await expect(reasons).not.toContainText("headroom (settings");
      await expect(page.getByText("请说明缓存存放什么数据、由哪个应用使用（至少 10 个字符）")).toBeVisible();
    } else {
      await expect(reasons).toContainText("Memory: ");
      await expect(reasons).toContainText("proxies: ");
      await expect(page.getByText("say what the cache holds and which application uses it (at least 10 characters)")).toBeVisible();
    }
    await page.screenshot({ path: `test-results/plan-${locale}.png`, fullPage: true });
  }
});

test("a refusal from the server reads in Chinese, with the code beside it for API callers", async ({ browser, baseURL }) => {
  const zh = await reader(browser, baseURL!, "zh", "NOC");
  const res = await zh.request.post("/api/trpc/board.acknowledge", { data: { json: { serviceId: cart.id, note: "nothing is red" } } });
  const error = (await res.json()).error.json;
  expect(error.message).toBe(`${cart.name} 没有未关闭的事件（不是红色）；无需确认或静默`);
  expect(error.data.text).toEqual({ code: "errors.domain.board.noIncident", params: { service: cart.name } });
});

test("the board and its TV mode in both languages", async ({ browser, baseURL }) => {
  for (const locale of ["zh", "en"] as const) {
    const page = await reader(browser, baseURL!, locale, "NOC");
    await open(page, "/board");
    await expect(page.getByTestId("board")).toBeVisible();
    await page.screenshot({ path: `test-results/board-${locale}-page.png` });
    await open(page, "/board/tv");
    await expect(page.getByTestId("board")).toBeVisible();
    await page.screenshot({ path: `test-results/board-tv-${locale}.png` });
  }
});
