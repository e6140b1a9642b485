import { expect, open, test } from "./fixtures";

/**
 * What the server writes for people reads in the reader's language: job steps and logs, the plan's
 * reasons, the form's refusals. Texts are stored as codes, so the same job reads in both languages.
 */
test("the provisioning job of a delivered service reads in Chinese and in English", async ({ db, liveFleet, users, signedIn }) => {
  const request = await db.resourceRequest.findFirstOrThrow({ where: { serviceId: liveFleet.cart.id } });
  const dba = await users.create({ role: "DBA" });
  const zh = await signedIn(dba, { locale: "zh" });
  await open(zh, `/requests/${request.id}`);
  await expect(zh.getByTestId("req-steps")).toContainText("通过调度器锁定资源");
  await expect(zh.getByTestId("req-steps")).toContainText("配置主从复制、Sentinel 与 Twemproxy");
  await expect(zh.getByTestId("req-log")).toContainText("▶ 开始交付");
  await expect(zh.getByTestId("req-log")).toContainText("已交付：连接");
  await expect(zh.getByTestId("req-log")).not.toContainText("Lock resources through the scheduler");
  await zh.screenshot({ path: "test-results/job-zh.png", fullPage: true });

  const en = await signedIn(dba, { locale: "en" });
  await open(en, `/requests/${request.id}`);
  await expect(en.getByTestId("req-steps")).toContainText("Lock resources through the scheduler");
  await expect(en.getByTestId("req-log")).toContainText("delivered: connect to");
  await en.screenshot({ path: "test-results/job-en.png", fullPage: true });
});

test("the plan's reasons and the form's refusals follow the reader's language", async ({ users, signedIn, productLines }) => {
  const line = await productLines.create({ importance: 4 });
  const requester = await users.create({ role: "BUSINESS", lines: [line] });
  for (const locale of ["zh", "en"] as const) {
    const page = await signedIn(requester, { locale });
    await open(page, "/requests/new");
    await page
      .getByTestId("req-line")
      .selectOption({ label: await page.getByTestId("req-line").locator("option", { hasText: line.code }).first().innerText() });
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

test("a refusal from the server reads in Chinese, with the code beside it for API callers", async ({ signedIn, productLines, services }) => {
  // a service with no open incident: a catalogued one of its own is enough
  const service = await services.create({ line: await productLines.create(), kind: "REDIS_STANDALONE" });
  const zh = await signedIn({ role: "NOC" }, { locale: "zh" });
  const res = await zh.request.post("/api/trpc/board.acknowledge", { data: { json: { serviceId: service.id, note: "nothing is red" } } });
  const error = (await res.json()).error.json;
  expect(error.message).toBe(`${service.name} 没有未关闭的事件（不是红色）；无需确认或静默`);
  expect(error.data.text).toEqual({ code: "errors.domain.board.noIncident", params: { service: service.name } });
});

test("the board and its TV mode in both languages", async ({ users, signedIn }) => {
  const noc = await users.create({ role: "NOC" });
  for (const locale of ["zh", "en"] as const) {
    const page = await signedIn(noc, { locale });
    await open(page, "/board");
    await expect(page.getByTestId("board")).toBeVisible();
    await page.screenshot({ path: `test-results/board-${locale}-page.png` });
    await open(page, "/board/tv");
    await expect(page.getByTestId("board")).toBeVisible();
    await page.screenshot({ path: `test-results/board-tv-${locale}.png` });
  }
});
