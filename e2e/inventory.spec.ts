import { expect, test, open } from "./fixtures";

test("a DBA creates a host, edits its labels, selects by label, batch-locks, and the audit log shows it", async ({ signInAs }) => {
  const page = await signInAs("DBA");
  await open(page, "/inventory/hosts");

  await page.getByTestId("host-create").click();
  const dialog = page.getByRole("dialog");
  await dialog.locator("input[name=ip]").fill("127.0.1.250");
  await dialog.locator("input[name=hostname]").fill("e2e-host-1");
  await dialog.locator("select[name=rackId]").selectOption({ index: 1 });
  await dialog.getByLabel("key").first().fill("region");
  await dialog.getByLabel("value").first().fill("cn-e2e");
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(dialog).toBeHidden();

  // A duplicate IP is refused with a message that names the host holding it.
  await page.getByTestId("host-create").click();
  await dialog.locator("input[name=ip]").fill("127.0.1.250");
  await dialog.locator("input[name=hostname]").fill("e2e-dup");
  await dialog.locator("select[name=rackId]").selectOption({ index: 1 });
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(dialog.getByRole("alert")).toContainText("IP 127.0.1.250 is already host e2e-host-1");
  await dialog.getByRole("button", { name: "Cancel" }).click();

  // Edit labels on the host page.
  await page.getByTestId("host-selector").fill("region=cn-e2e");
  await page.getByRole("link", { name: "127.0.1.250" }).click();
  await page.getByRole("button", { name: "Edit" }).click();
  await page.getByRole("button", { name: "+ Add label" }).click();
  await dialog.getByLabel("key").last().fill("role");
  await dialog.getByLabel("value").last().fill("canary");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("role=canary")).toBeVisible();

  // Select by label and batch-lock the whole selection.
  await open(page, "/inventory/hosts");
  await page.getByTestId("host-selector").fill("region=cn-e2e,role in (canary,beta)");
  await expect(page.getByTestId("host-127.0.1.250")).toBeVisible();
  await expect(page.getByTestId("host-total")).toHaveText("1");
  page.once("dialog", (d) => d.accept());
  await page.getByTestId("batch-apply-all").click();
  await expect(page.getByRole("status")).toContainText("Changed 1 of 1");
  await expect(page.getByTestId("host-127.0.1.250")).toContainText("Locked");

  // The audit log shows who did what.
  await open(page, "/audit");
  await expect(page.getByText("127.0.1.250: status → LOCKED")).toBeVisible();
  await expect(page.getByText("created host 127.0.1.250 (e2e-host-1)")).toBeVisible();
  await page.getByTestId("audit-row").filter({ hasText: "127.0.1.250: status → LOCKED" }).getByTestId("audit-open").click();
  await expect(page.getByTestId("audit-changed")).toContainText("ONLINE");
  await expect(page.getByTestId("audit-changed")).toContainText("LOCKED");
  await page.screenshot({ path: "test-results/audit-diff.png" });
});

test("an unknown label operator is refused beside the selector", async ({ signInAs }) => {
  const page = await signInAs("DBA");
  await open(page, "/inventory/hosts");
  await page.getByTestId("host-selector").fill("region ~ cn-sh");
  await expect(page.getByText('unknown label operator "~"')).toBeVisible();
});
