import fs from "node:fs";
import { expect, open, test } from "./fixtures";

const how = (JSON.parse(fs.readFileSync("i18n/messages/en/inspections.json", "utf8")) as { how: Record<string, string> }).how;

/**
 * The crash analysis over the demo's generated host history (the r5 machines' crash rate jumps over
 * the last ten days), and the inspection report: an inspection run from the page over the demo fleet,
 * its counts by severity, a check's findings with where and how to fix.
 */
test("crash analysis: daily trends, crashes grouped by model with the jump flagged, and a crash's services", async ({ signedIn }) => {
  const page = await signedIn({ role: "NOC" });
  await open(page, "/crashes");
  await expect(page.getByTestId("trend-fleet")).toHaveAttribute("data-points", /^[1-9]\d*$/);
  await page.getByTestId("by-model").click();
  const r5 = page.getByTestId("crash-group").filter({ hasText: "r5" });
  await expect(r5).toHaveAttribute("data-jumped", "true");
  await expect(r5).toContainText(/rate jumped/);
  await expect(page.getByTestId("crash-group").filter({ hasText: "ebmc7" })).toHaveAttribute("data-jumped", "false");
  await r5.click();
  await expect(page.getByText("Crashes of r5")).toBeVisible();
  const first = page.getByTestId("crash").first();
  await expect(first).toContainText("r5");
  await expect(first.getByTestId("crash-services")).toContainText(/back and running/);
});

test("inspection report: run from the page, counts by severity, findings with where and how to fix", async ({ db, signedIn }) => {
  test.setTimeout(180_000);
  const page = await signedIn({ role: "DBA" });
  await open(page, "/inspections");
  await page.getByTestId("inspect-now").click();
  await expect(page.getByTestId("inspection-run")).toContainText(/live instances of \d+ services/, { timeout: 150_000 });
  const run = await db.inspectionRun.findFirstOrThrow({ orderBy: { id: "desc" } });
  const counts = run.counts as Record<string, number>;
  await expect(page.getByTestId("severity-WARNING")).toContainText(String(counts.WARNING ?? 0));
  await expect(page.getByTestId("severity-CRITICAL")).toContainText(String(counts.CRITICAL ?? 0));
  // the check with the most findings: its button filters the list; each finding says where and how to fix
  const [top] = await db.inspectionFinding.groupBy({ by: ["code"], where: { runId: run.id }, _count: true, orderBy: { _count: { code: "desc" } } });
  expect(top).toBeTruthy();
  await page.getByTestId(`check-${top!.code}`).first().click();
  const finding = page.getByTestId("inspection-finding").first();
  await expect(finding).toHaveAttribute("data-code", top!.code);
  await expect(finding).toContainText(how[top!.code]!);
});
