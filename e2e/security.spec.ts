import { expect, open, test } from "./fixtures";

/**
 * Sign-in throttling and the first sign-in of an account created with a one-time password, in the
 * browser. Each test signs in from its own address (X-Forwarded-For, honoured because the e2e server
 * trusts loopback as a proxy), so the per-address counter of one does not throttle the other specs.
 */
/** The form's own message (Next.js keeps an empty route announcer with role alert too). */
const formAlert = (page: import("@playwright/test").Page) => page.locator("form").getByRole("alert");

async function signInForm(page: import("@playwright/test").Page, username: string, password: string) {
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("repeated failed sign-ins back off and say how long to wait; a lock shows on the users page", async ({ page, db, users, signedIn, cleanup }) => {
  const user = await users.create({ role: "NOC" });
  cleanup(() => db.signInThrottle.deleteMany({ where: { key: "addr:10.104.0.1" } }));
  await page.setExtraHTTPHeaders({ "x-forwarded-for": "10.104.0.1" });
  await open(page, "/signin");
  for (let i = 0; i < 3; i++) {
    await signInForm(page, user.username, `wrong-${i}`);
    await expect(formAlert(page)).toHaveText("Wrong username or password, or the account is disabled.");
  }
  // counted against the address loopback (a trusted proxy here) forwarded: the server saw its socket's peer
  expect((await db.signInThrottle.findUnique({ where: { key: "addr:10.104.0.1" } }))?.failures).toBeGreaterThanOrEqual(3);
  // within the back-off even the right password is refused, with the wait in words
  await signInForm(page, user.username, user.password);
  await expect(formAlert(page)).toHaveText(/Too many failed attempts\. Try again in \d+ s\./);
  await page.waitForTimeout(2500);
  await signInForm(page, user.username, user.password);
  await page.waitForURL((u) => !u.pathname.startsWith("/signin"));

  // Reaching the lock takes ten failures and two minutes of back-off; the row says what they leave.
  await db.signInThrottle.upsert({
    where: { key: `user:${user.username}` },
    create: { key: `user:${user.username}`, failures: 10, lastFailureAt: new Date(), blockedUntil: new Date(Date.now() + 15 * 60_000) },
    update: { failures: 10, lastFailureAt: new Date(), blockedUntil: new Date(Date.now() + 15 * 60_000) },
  });
  const admin = await signedIn({ role: "ADMIN" });
  await open(admin, "/admin/users");
  await expect(admin.getByTestId(`user-locked-${user.username}`)).toContainText("Sign-in locked until");
  await admin.screenshot({ path: "test-results/security-users-lock.png" });
});

test("an account with a one-time password must choose its own first; other sessions end", async ({ page, browser, db, users }) => {
  const user = await users.create({ role: "ADMIN", mustChangePassword: true });
  await page.setExtraHTTPHeaders({ "x-forwarded-for": "10.104.0.3" });
  await open(page, "/signin");
  await signInForm(page, user.username, user.password);
  await page.waitForURL("**/change-password");
  await expect(page.getByTestId("must-change")).toBeVisible();
  // the API is closed until then
  const before = await page.request.get(`/api/trpc/hosts.list?input=${encodeURIComponent(JSON.stringify({ json: {} }))}`);
  expect(before.status()).toBe(403);
  // a second session, signed in before the change
  const other = await browser.newPage();
  await other.setExtraHTTPHeaders({ "x-forwarded-for": "10.104.0.4" });
  await open(other, "/signin");
  await signInForm(other, user.username, user.password);
  await other.waitForURL("**/change-password");
  await page.screenshot({ path: "test-results/security-change-password.png" });

  await page.locator('input[name="current"]').fill(user.password);
  await page.locator('input[name="next"]').fill("my-own-password-2");
  await page.locator('input[name="confirm"]').fill("my-own-password-2");
  await page.getByRole("button", { name: "Change password" }).click();
  await page.waitForURL((u) => u.pathname === "/");
  const after = await page.request.get(`/api/trpc/hosts.list?input=${encodeURIComponent(JSON.stringify({ json: {} }))}`);
  expect(after.status()).toBe(200);
  expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).mustChangePassword).toBe(false);
  // the other session has ended
  const ended = await other.request.get(`/api/trpc/me.get`);
  expect(ended.status()).toBe(401);
  await other.close();
});

test("the API refuses form posts and other origins", async ({ page }) => {
  const form = await page.request.post("/api/trpc/me.markNotificationsRead", { form: { a: "1" } });
  expect(form.status()).toBe(415);
  const cross = await page.request.post("/api/trpc/me.markNotificationsRead", { data: { json: null }, headers: { origin: "http://evil.example" } });
  expect(cross.status()).toBe(403);
  const res = await page.request.get("/signin");
  expect(res.headers()["x-powered-by"]).toBeUndefined();
  expect(res.headers()["content-security-policy"]).toMatch(/frame-ancestors 'none'/);
  expect(res.headers()["x-content-type-options"]).toBe("nosniff");
  expect(res.headers()["referrer-policy"]).toBe("same-origin");
});
