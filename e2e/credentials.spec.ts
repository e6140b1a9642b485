import { Redis } from "ioredis";
import { expect, open, test } from "./fixtures";

test("the requester reveals the application password (audited) and it logs in; a business user of another line cannot", async ({
  db,
  liveFleet,
  users,
  signedIn,
  productLines,
}) => {
  test.setTimeout(90_000);
  const cart = liveFleet.cart;
  const member = await users.create({ role: "BUSINESS", lines: [cart.line] });
  const page = await signedIn(member);
  await open(page, `/inventory/services/${cart.id}`);
  const card = page.getByTestId("credentials-card");
  // the user name and --askpass, never the password
  await expect(page.getByTestId("cred-command")).toContainText(/redis-cli -h \S+ -p \d+ --user app --askpass/);
  // the requester sees only the application's login; Hedwig's own, replication and Sentinel's are for DBAs
  await expect(card.locator("[data-testid^=cred-row-]")).toHaveCount(1);
  const before = await db.auditEntry.count({ where: { action: "credential.reveal", actorName: member.username, entityId: String(cart.id) } });
  await page.getByTestId("cred-reveal-APP").click();
  const password = (await page.getByTestId("cred-password-APP").textContent())!.trim();
  expect(password).toMatch(/^[A-Za-z0-9_-]{43}$/);
  await page.screenshot({ path: "test-results/credentials-revealed.png", fullPage: true });
  expect(await db.auditEntry.count({ where: { action: "credential.reveal", actorName: member.username, entityId: String(cart.id) } })).toBe(before + 1);
  const audit = await db.auditEntry.findFirstOrThrow({ where: { action: "credential.reveal", actorName: member.username }, orderBy: { id: "desc" } });
  expect(JSON.stringify([audit.summary, audit.before, audit.after])).not.toContain(password);

  // the revealed password is the one the service takes
  const master = await db.instance.findFirstOrThrow({ where: { serviceId: cart.id, role: "MASTER" }, include: { host: true } });
  const redis = new Redis({
    host: master.host.ip,
    port: master.port,
    lazyConnect: true,
    username: "app",
    password,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  await redis.connect();
  expect(await redis.ping()).toBe("PONG");
  redis.disconnect();

  // the same page in Chinese
  const zhPage = await signedIn(member, { locale: "zh" });
  await open(zhPage, `/inventory/services/${cart.id}`);
  await expect(zhPage.getByTestId("cred-reveal-APP")).toHaveText("查看密码");
  await zhPage.screenshot({ path: "test-results/credentials-zh.png", fullPage: true });

  // a business user of another line: neither the page nor the API reveals this line's password
  const otherPage = await signedIn({ role: "BUSINESS", lines: [await productLines.create()] });
  await open(otherPage, `/inventory/services/${cart.id}`);
  await expect(otherPage.getByTestId("service-error")).toBeVisible();
  await expect(otherPage.getByTestId("cred-reveal-APP")).toHaveCount(0);
  const res = await otherPage.request.post("/api/trpc/credentials.reveal", { data: { json: { serviceId: cart.id, kind: "APP" } } });
  expect(res.status()).toBe(403);
  const body = await res.text();
  expect(body).toContain("not a member of product line");
  expect(body).not.toContain(password);
});

test("the request form says Memcached has no password, in both languages", async ({ signedIn, productLines }) => {
  const requester = { role: "BUSINESS" as const, lines: [await productLines.create()] };
  const page = await signedIn(requester);
  await open(page, "/requests/new");
  await expect(page.getByTestId("memcached-no-auth")).toHaveCount(0);
  await page.getByTestId("req-kind").selectOption("MEMCACHED");
  await expect(page.getByTestId("memcached-no-auth").first()).toContainText("cannot pass through Twemproxy");
  await page.screenshot({ path: "test-results/request-form-memcached.png", fullPage: true });
  const zhPage = await signedIn(requester, { locale: "zh" });
  await open(zhPage, "/requests/new");
  await zhPage.getByTestId("req-kind").selectOption("MEMCACHED");
  await expect(zhPage.getByTestId("memcached-no-auth").first()).toContainText("Memcached 没有密码");
  await zhPage.screenshot({ path: "test-results/request-form-memcached-zh.png", fullPage: true });
});

test("a DBA sees every login of the service and can rotate the application's", async ({ liveFleet, signedIn }) => {
  const page = await signedIn({ role: "DBA" });
  await open(page, `/inventory/services/${liveFleet.cart.id}`);
  const card = page.getByTestId("credentials-card");
  await expect(card.locator("[data-testid^=cred-row-]")).toHaveCount(4);
  await expect(page.getByTestId("cred-rotate")).toBeEnabled();
  await page.getByTestId("cred-reveal-OPS").click();
  await expect(page.getByTestId("cred-password-OPS")).toHaveText(/^[A-Za-z0-9_-]{43}$/);
  await page.screenshot({ path: "test-results/credentials-dba.png", fullPage: true });
});
