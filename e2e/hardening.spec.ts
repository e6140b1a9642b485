import { expect, open, test } from "./fixtures";
import { demoNet } from "../server/db/seed/demo-net";

/**
 * Issue #12 in the browser: one row with impossible figures is named where it was left out (the
 * Capacity page, a request's approval, the promotion forecast), and a Libra pool without a VIP
 * range takes no VIP until the DBA gives it one.
 */
const BAD_PORT = 6599;
const NET = demoNet().prefix;

test("a host and a service with impossible figures are named where they were left out", async ({
  db,
  signedIn,
  users,
  requests,
  productLines,
  services,
  promotions,
}) => {
  const host = await db.host.findFirstOrThrow({ where: { status: "ONLINE" }, orderBy: { id: "asc" } });
  // a 4-star line: the request below is one it may ask for
  const line = await productLines.create({ importance: 4 });
  const service = await services.create({ line, kind: "REDIS_STANDALONE" });
  // What a DBA can still write with SQL, past the console's bounds.
  await db.$executeRaw`INSERT INTO "Instance" ("serviceId", "hostId", "port", "software", "role", "version", "state", "cpuCores", "memoryMb", "diskGb", "bandwidthMbps", "updatedAt")
                       VALUES (${service.id}, ${host.id}, ${BAD_PORT}, 'REDIS', 'MASTER', '7.0.15', 'UNKNOWN', 1e308, 0, 0, 0, now())`;
  const absurd = await services.create({ line, kind: "REDIS_STANDALONE", name: `e2e-absurd-figures-${line.code}` });
  const now = Math.floor(Date.now() / 3_600_000) * 3_600_000;
  await db.serviceHour.createMany({
    data: Array.from({ length: 5 * 24 }, (_, i) => ({
      serviceId: absurd.id,
      bucket: new Date(now - (5 * 24 - i) * 3_600_000),
      samples: 60,
      opsAvg: 1e308,
      opsMax: 1e308,
      usedMemoryMbMax: 100,
      maxmemoryMb: 1024,
      clientsMax: 10,
    })),
  });
  // catalogued only (UNKNOWN): no process stands behind the row, so the reconciler must not try to start one
  await db.instance.create({
    data: {
      serviceId: absurd.id,
      hostId: host.id,
      port: BAD_PORT + 1,
      software: "REDIS",
      role: "MASTER",
      version: "7.0.15",
      maxmemoryMb: 1024,
      state: "UNKNOWN",
    },
  });
  const page = await signedIn({ role: "DBA" });
  await open(page, "/capacity");
  const note = page.getByTestId("cap-skipped-hosts");
  await expect(note).toContainText("1 host was left out");
  await expect(note).toContainText(`${host.ip} (host ${host.id}): its instances use cpuCores = 1e+308`);
  await expect(page.getByTestId("cap-instances")).not.toHaveText("0");
  await page.screenshot({ path: "test-results/hardening-capacity-skipped-host.png", fullPage: true });

  // a request in the DBA's queue: its approval preview names the host too
  const requester = await users.create({ role: "BUSINESS", lines: [line] });
  const form = {
    productLineId: line.id,
    kind: "REDIS_SENTINEL",
    purpose: "e2e: approval beside a skipped host",
    capacityGb: 1,
    peakQps: 1000,
    expectedKeys: 1000,
    persistence: "none",
    highAvailability: true,
    idcPreference: null,
    readRatio: 80,
  };
  const { id: requestId } = await requests.create(form, requester);
  await open(page, `/requests/${requestId}`);
  await expect(page.getByTestId("approval-skipped-hosts")).toContainText(`${host.ip} (host ${host.id})`);
  await page.screenshot({ path: "test-results/hardening-approval-skipped-host.png", fullPage: true });

  // a promotion of its own, a month ahead, to forecast
  const upcoming = await promotions.create({ kind: "OTHER", startsAt: new Date(Date.now() + 30 * 86_400_000), endsAt: new Date(Date.now() + 31 * 86_400_000) });
  await open(page, `/promotions/forecast?target=${upcoming.id}`);
  await expect(page.getByTestId("forecast-impossible")).toContainText(`${absurd.name}: forecast QPS = Infinity`);
  await expect(page.getByTestId("forecast-counts")).toContainText(/\d+ of \d+ services at risk/);
  await page.screenshot({ path: "test-results/hardening-forecast-impossible.png", fullPage: true });
});

test("a pool without a VIP range refuses VIPs until the DBA sets one on the pool page", async ({ db, signedIn, cleanup }) => {
  const page = await signedIn({ role: "DBA" });
  const name = `e2e-no-range-${Date.now().toString(36)}`;
  const res = await page.request.post("/api/trpc/libra.createPool", {
    data: { json: { name, backend: "LVS", description: "", statsPort: null, vipRange: null, servers: [{ ip: `${NET}.2.200`, executor: "LOCAL" }] } },
  });
  expect(res.status()).toBe(200);
  const pool = await db.lbPool.findUniqueOrThrow({ where: { name } });
  cleanup(() => db.lbPool.delete({ where: { id: pool.id } }));
  const [health, balance] = await Promise.all([
    db.lbHealthCheck.findUniqueOrThrow({ where: { name: "tcp-default" } }),
    db.lbBalanceConfig.findUniqueOrThrow({ where: { name: "lvs-dr-wlc" } }),
  ]);
  const app = { poolId: pool.id, name: "e2e-app", serviceId: null, healthCheckId: health.id, balanceConfigId: balance.id, members: [] };
  const refused = await page.request.post("/api/trpc/libra.createApplication", {
    data: { json: { ...app, vip: { ip: `${NET}.2.201`, port: 7000, protocol: "TCP" } } },
  });
  expect(refused.status()).toBe(400);
  expect(JSON.stringify(await refused.json())).toContain(`pool ${name} has no VIP range`);

  await open(page, `/libra/pools/${pool.id}`);
  const range = page.getByTestId("libra-vip-range");
  await expect(range).toContainText("No VIP range: this pool takes no application until one is set");
  await page.screenshot({ path: "test-results/hardening-libra-no-range.png", fullPage: true });
  await page.getByTestId("libra-vip-range-edit").click();
  await page.getByTestId("libra-vip-range-input").fill(`${NET}.2.201-`);
  await page.getByTestId("libra-vip-range-save").click();
  await expect(range.getByRole("alert")).toContainText("ranges such as 10.0.2.10-10.0.2.250");
  await page.getByTestId("libra-vip-range-input").fill(`${NET}.2.201-${NET}.2.209`);
  await page.getByTestId("libra-vip-range-save").click();
  await expect(range).toContainText(`${NET}.2.201-${NET}.2.209`);
  await page.screenshot({ path: "test-results/hardening-libra-range-set.png", fullPage: true });
});
