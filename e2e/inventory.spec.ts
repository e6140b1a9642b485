import { expect, test, open } from "./fixtures";
import { demoNet } from "../server/db/seed/demo-net";

/** The e2e server seeds its demo on a loopback block of its own (playwright.config.ts). */
const DEMO = demoNet().prefix;

test("a DBA creates a host, edits its labels, selects by label, batch-locks, and the audit log shows it", async ({ signedIn, db, cleanup }) => {
  cleanup(() => db.host.deleteMany({ where: { ip: `${DEMO}.1.250` } }));
  const page = await signedIn({ role: "DBA" });
  await open(page, "/inventory/hosts");

  await page.getByTestId("host-create").click();
  const dialog = page.getByRole("dialog");
  await dialog.locator("input[name=ip]").fill(`${DEMO}.1.250`);
  await dialog.locator("input[name=hostname]").fill("e2e-host-1");
  await dialog.locator("select[name=rackId]").selectOption({ index: 1 });
  await dialog.getByLabel("key").first().fill("region");
  await dialog.getByLabel("value").first().fill("cn-e2e");
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(dialog).toBeHidden();

  // A duplicate IP is refused with a message that names the host holding it.
  await page.getByTestId("host-create").click();
  await dialog.locator("input[name=ip]").fill(`${DEMO}.1.250`);
  await dialog.locator("input[name=hostname]").fill("e2e-dup");
  await dialog.locator("select[name=rackId]").selectOption({ index: 1 });
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(dialog.getByRole("alert")).toContainText(`IP ${DEMO}.1.250 is already host e2e-host-1`);
  await dialog.getByRole("button", { name: "Cancel" }).click();

  // Edit labels on the host page.
  await page.getByTestId("host-selector").fill("region=cn-e2e");
  await page.getByRole("link", { name: `${DEMO}.1.250` }).click();
  await page.getByRole("button", { name: "Edit" }).click();
  await page.getByRole("button", { name: "+ Add label" }).click();
  await dialog.getByLabel("key").last().fill("role");
  await dialog.getByLabel("value").last().fill("canary");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("role=canary")).toBeVisible();

  // Select by label and batch-lock the whole selection.
  await open(page, "/inventory/hosts");
  await page.getByTestId("host-selector").fill("region=cn-e2e,role in (canary,beta)");
  await expect(page.getByTestId(`host-${DEMO}.1.250`)).toBeVisible();
  await expect(page.getByTestId("host-total")).toHaveText("1");
  page.once("dialog", (d) => d.accept());
  await page.getByTestId("batch-apply-all").click();
  await expect(page.getByRole("status")).toContainText("Changed 1 of 1");
  await expect(page.getByTestId(`host-${DEMO}.1.250`)).toContainText("Locked");

  // The audit log shows who did what.
  await open(page, "/audit");
  await expect(page.getByText(`${DEMO}.1.250: status → LOCKED`)).toBeVisible();
  await expect(page.getByText(`created host ${DEMO}.1.250 (e2e-host-1)`)).toBeVisible();
  await page
    .getByTestId("audit-row")
    .filter({ hasText: `${DEMO}.1.250: status → LOCKED` })
    .getByTestId("audit-open")
    .click();
  await expect(page.getByTestId("audit-changed")).toContainText("ONLINE");
  await expect(page.getByTestId("audit-changed")).toContainText("LOCKED");
  await page.screenshot({ path: "test-results/audit-diff.png" });
});

test("an unknown label operator is refused beside the selector", async ({ signedIn }) => {
  const page = await signedIn({ role: "DBA" });
  await open(page, "/inventory/hosts");
  await page.getByTestId("host-selector").fill("region ~ cn-sh");
  await expect(page.getByText('unknown label operator "~"')).toBeVisible();
});

test("a DBA stores an SSH login for a host: sealed, never shown back, and tested for real", async ({ signedIn, db, cleanup }) => {
  const page = await signedIn({ role: "DBA" });
  // a demo host: nothing listens on its SSH port, so the test login must fail and say why
  const res = await page.request.get(`/api/trpc/hosts.lookup?input=${encodeURIComponent(JSON.stringify({ json: { prefix: `${DEMO}.1.240` } }))}`);
  const hostId = ((await res.json()) as { result: { data: { json: { id: number }[] } } }).result.data.json[0]!.id;
  // out of the scheduler's reach first: other journeys deploy for real, and this host's SSH login is fake
  const { status } = await db.host.findUniqueOrThrow({ where: { id: hostId } });
  cleanup(async () => {
    await db.hostCredential.deleteMany({ where: { hostId } });
    await db.host.update({ where: { id: hostId }, data: { status } });
  });
  expect((await page.request.post("/api/trpc/hosts.update", { data: { json: { id: hostId, status: "MAINTENANCE" } } })).status()).toBe(200);
  await open(page, `/inventory/hosts/${hostId}`);
  await expect(page.getByTestId("credential-none")).toBeVisible();
  await page.getByTestId("credential-edit").click();
  await page.getByTestId("credential-method").selectOption("PASSWORD");
  await page.getByTestId("credential-save").click();
  await expect(page.getByTestId("host-credential")).toContainText("type the password Hedwig logs in with");
  await page.getByTestId("credential-password").fill("s3cret-e2e-password");
  await page.getByTestId("credential-save").click();
  await expect(page.getByTestId("credential-login")).toContainText("root@");
  await expect(page.getByTestId("host-credential")).not.toContainText("s3cret");
  await page.getByTestId("credential-test").click();
  await expect(page.getByTestId("credential-test-result")).toContainText(new RegExp(`✗ .*${DEMO.replace(".", "\\.")}\\.1\\.240`));
  await page.screenshot({ path: "test-results/host-credential.png", fullPage: true });

  // A pinned key is kept on a new login unless the DBA says the machine itself was replaced.
  await db.hostCredential.update({ where: { hostId }, data: { hostKeyFingerprint: "SHA256:e2e-pinned-key" } });
  await page.reload();
  await expect(page.getByTestId("credential-hostkey")).toHaveText("SHA256:e2e-pinned-key");
  await page.getByTestId("credential-edit").click();
  await page.getByTestId("credential-method").selectOption("PASSWORD");
  await page.getByTestId("credential-password").fill("another-e2e-password");
  await expect(page.getByTestId("credential-reset-hostkey")).toContainText("Only when the machine itself was replaced");
  await page.getByTestId("credential-reset-hostkey").locator("input").check();
  await page.screenshot({ path: "test-results/host-credential-reset-key.png", fullPage: true });
  await page.getByTestId("credential-save").click();
  await expect(page.getByTestId("credential-hostkey")).toHaveText("not pinned yet: the first login pins it");
});
