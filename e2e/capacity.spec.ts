import { expect, open, test } from "./fixtures";

test("a DBA reads how many more fit and why not, runs a dry run, then locks and releases", async ({ signedIn, productLines }) => {
  const line = await productLines.create({ importance: 3 });
  const page = await signedIn({ role: "DBA" });
  await open(page, "/capacity");

  // The default question: 1 core / 4 GB, two copies per shard, a new 2★ product line.
  await expect(page.getByTestId("cap-instances")).not.toHaveText("0");
  const before = Number((await page.getByTestId("cap-instances").innerText()).replace(/,/g, ""));
  await expect(page.getByTestId("cap-summary")).toContainText("hosts have room");
  await expect(page.getByTestId("cap-reasons")).toContainText("isolation tier not for this importance");
  await expect(page.getByTestId("cap-rack-chart").locator("canvas")).toBeVisible();

  // A label filter narrows it, and says how many hosts it turned away.
  await page.getByTestId("cap-selector").fill("region=cn-sh");
  await expect(page.getByTestId("cap-reasons")).toContainText("label mismatch");
  const narrowed = Number((await page.getByTestId("cap-instances").innerText()).replace(/,/g, ""));
  expect(narrowed).toBeLessThan(before);

  // A typo in a label key is refused with the keys in use.
  await page.getByTestId("cap-selector").fill("regoin=cn-sh");
  await expect(page.getByRole("alert").filter({ hasText: 'no host carries the label key "regoin"' })).toBeVisible();
  await page.getByTestId("cap-selector").fill("region=cn-sh");

  // Dry run: the plan, nothing locked.
  await page.getByTestId("cap-line").selectOption({ label: `${line.code} · ★★★` });
  await page.getByTestId("place-shards").fill("2");
  await page.getByTestId("place-dry-run").click();
  const plan = page.getByTestId("place-plan");
  await expect(plan).toContainText("Dry run — nothing was locked");
  await expect(plan.locator("tbody tr")).toHaveCount(4);
  const dryRows = await plan.locator("tbody tr").allInnerTexts();

  // The real call gives the same plan and locks it; the lock shows in the list, then is released.
  await page.getByTestId("place-lock").click();
  await expect(plan).toContainText("Locked until");
  expect(await plan.locator("tbody tr").allInnerTexts()).toEqual(dryRows);
  await expect(page.getByTestId("allocations")).toContainText(line.code);
  await page.getByTestId("place-release").click();
  await expect(page.getByTestId("allocations")).not.toContainText(line.code);
  await page.screenshot({ path: "test-results/capacity.png", fullPage: true });
});

test("NOC reads capacity but cannot lock", async ({ signedIn }) => {
  const page = await signedIn({ role: "NOC" });
  await open(page, "/capacity");
  await expect(page.getByTestId("cap-instances")).toBeVisible();
  await expect(page.getByTestId("place-lock")).toHaveCount(0);
  await expect(page.getByTestId("place-dry-run")).toHaveCount(0);
});
