import { test as base, expect, type APIRequestContext, type Page } from "@playwright/test";
import { DEMO_USERS } from "../server/db/seed/catalog";

export type DemoRole = "ADMIN" | "DBA" | "NOC" | "BUSINESS";

export const credentials = (role: DemoRole) =>
  role === "ADMIN" ? { username: "admin", password: process.env.HEDWIG_ADMIN_PASSWORD ?? "hedwig-admin" } : DEMO_USERS.find((u) => u.role === role)!;

/** Signs in through next-auth's own credentials endpoint, as the browser form does. */
export async function signIn(request: APIRequestContext, role: DemoRole): Promise<void> {
  const { csrfToken } = await (await request.get("/api/auth/csrf")).json();
  const { username, password } = credentials(role);
  const res = await request.post("/api/auth/callback/credentials", {
    form: { csrfToken, username, password, json: "true" },
    maxRedirects: 0,
  });
  expect([200, 302]).toContain(res.status());
  const session = await (await request.get("/api/auth/session")).json();
  expect(session?.user?.username).toBe(username);
}

/** Navigates and waits until React has hydrated, so typed text is not lost to the first render. */
export async function open(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await page.locator("body[data-hydrated]").waitFor();
}

export const test = base.extend<{ signInAs: (role: DemoRole) => Promise<Page> }>({
  signInAs: async ({ page }, use) => {
    await use(async (role) => {
      await signIn(page.request, role);
      return page;
    });
  },
});

export { expect };
