import { expect, test, open } from "./fixtures";

const CSV = [
  "ip,hostname,idc,rack,cpuCores,memoryGb,diskGb,bandwidthMbps,status,tier,labels",
  "10.20.0.1,imp-ok-1,sh-pd,r01,32,128,1000,10000,ONLINE,MIXED,region=cn-sh;model=ebmc6",
  "10.20.0.2,imp-bad-mem,sh-pd,r01,32,-4,1000,10000,ONLINE,MIXED,region=cn-sh",
  "10.20.0.3,imp-bad-idc,xx-nowhere,r01,32,128,1000,10000,ONLINE,MIXED,region=cn-sh",
  "10.20.0.4,imp-ok-2,bj-yz,r02,16,64,500,10000,ONLINE,MIXED,region=cn-bj",
].join("\n");

test("a CSV with bad rows shows each row and its reason, cannot be imported whole, then imports only the valid rows", async ({ signedIn, db, cleanup }) => {
  // the imported hosts go after the test (a second run imports them again)
  cleanup(() => db.host.deleteMany({ where: { ip: { startsWith: "10.20.0." } } }));
  const page = await signedIn({ role: "DBA" });
  await open(page, "/inventory/import");
  await page.getByTestId("import-kind").selectOption("hosts");
  await page.getByTestId("import-text").fill(CSV);
  await page.getByTestId("import-check").click();

  await expect(page.getByTestId("import-row-3")).toHaveAttribute("data-status", "error");
  await expect(page.getByTestId("import-row-3")).toContainText("must be greater than 0");
  await expect(page.getByTestId("import-row-4")).toHaveAttribute("data-status", "error");
  await expect(page.getByTestId("import-row-4")).toContainText("xx-nowhere");
  await expect(page.getByTestId("import-row-2")).toHaveAttribute("data-status", "ok");
  await expect(page.getByTestId("import-commit-all")).toBeDisabled();

  await page.getByTestId("import-commit-valid").click();
  await expect(page.getByTestId("import-result")).toContainText("2");

  await open(page, "/inventory/hosts");
  await page.getByTestId("host-selector").fill("region in (cn-sh,cn-bj)");
  await page.getByPlaceholder("127.0.1. / sh-pd-r01").fill("10.20.0.");
  await expect(page.getByTestId("host-total")).toHaveText("2");
  await expect(page.getByTestId("host-10.20.0.1")).toBeVisible();
  await expect(page.getByTestId("host-10.20.0.2")).toHaveCount(0);
});
