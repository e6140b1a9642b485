import type { Role } from "../generated/prisma/enums";
import { expect, test, open } from "./fixtures";

// The sign-in form itself is what this journey tests: it signs in through the page.
test("the sign-in form lets a DBA in and a wrong password out", async ({ page, users }) => {
  const dba = await users.create({ role: "DBA" });
  await page.setExtraHTTPHeaders({ "x-forwarded-for": "10.104.1.1" });
  await open(page, "/inventory/hosts");
  await expect(page).toHaveURL(/\/signin/);
  await page.getByLabel("Username").fill(dba.username);
  await page.getByLabel("Password").fill("wrong-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Wrong username or password")).toBeVisible();
  await page.getByLabel("Password").fill(dba.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("whoami")).toContainText(dba.username);
});

const NAV: Record<Role, { sees: string[]; not: string[] }> = {
  ADMIN: { sees: ["Hosts", "Import", "Audit log", "Users"], not: [] },
  DBA: { sees: ["Hosts", "Import", "Audit log"], not: ["Users"] },
  NOC: { sees: ["Hosts", "IDCs & racks", "Services"], not: ["Import", "Audit log", "Users"] },
  BUSINESS: { sees: ["Product lines", "Services", "Instances"], not: ["Hosts", "Import", "Audit log", "Users"] },
};

for (const [role, nav] of Object.entries(NAV) as [Role, (typeof NAV)[Role]][]) {
  test(`${role} sees its own navigation`, async ({ signedIn }) => {
    const page = await signedIn({ role });
    await open(page, "/");
    const menu = page.getByRole("navigation", { name: "Main navigation" });
    for (const item of nav.sees) await expect(menu.getByRole("link", { name: item, exact: true })).toBeVisible();
    for (const item of nav.not) await expect(menu.getByRole("link", { name: item, exact: true })).toHaveCount(0);
  });
}

test("a BUSINESS user opening a DBA page is refused, and sees only their product lines", async ({ signedIn }) => {
  const page = await signedIn({ role: "BUSINESS" });
  await open(page, "/inventory/hosts");
  await expect(page.getByTestId("forbidden")).toContainText("ADMIN / DBA / NOC");
  await open(page, "/");
  await expect(page.getByText("Your product lines at a glance")).toBeVisible();
});

test("the language switch turns the console to Chinese and is remembered", async ({ signedIn }) => {
  const page = await signedIn({ role: "DBA" });
  await open(page, "/inventory/hosts");
  await page.getByRole("button", { name: "中文" }).click();
  await expect(page.getByRole("heading", { name: "主机" })).toBeVisible();
  await page.reload();
  await expect(page.getByRole("link", { name: "审计日志" })).toBeVisible();
  await page.getByRole("button", { name: "EN" }).click();
  await expect(page.getByRole("heading", { name: "Hosts" })).toBeVisible();
});
