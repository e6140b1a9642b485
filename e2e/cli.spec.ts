import { execFile } from "node:child_process";
import { mkdtemp, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, open, test } from "./fixtures";
import { until } from "./live-fleet";

/**
 * The `hedwig` command line against the running test server: a DBA creates a token on the profile
 * page, logs the CLI in, lists, requests a cache, approves it, watches the job to delivered, drains
 * and re-enables a VIP member of the live Twemproxy service; and the exit codes of its refusals.
 */
type Run = { code: number; stdout: string; stderr: string };

const hedwig = (config: string, args: string[], env: Record<string, string> = {}) =>
  new Promise<Run>((resolve) => {
    execFile(
      process.execPath,
      ["bin/hedwig.mjs", ...args],
      { env: { ...process.env, HEDWIG_CONFIG: config, HEDWIG_URL: "", HEDWIG_TOKEN: "", ...env }, timeout: 240_000 },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });

test.setTimeout(300_000);

test("the hedwig CLI: login, list, request, approve, watch to delivered, drain a member, exit codes", async ({
  db,
  liveFleet: live,
  users,
  signedIn,
  baseURL,
}) => {
  // A token from the profile page, shown once.
  const dba = await users.create({ role: "DBA" });
  const page = await signedIn(dba);
  await open(page, "/profile");
  await page.getByTestId("token-name").fill("e2e cli");
  await page.getByTestId("token-create").click();
  const secret = (await page.getByTestId("token-secret").textContent())!.trim();
  expect(secret).toMatch(/^hdw_/);
  await expect(page.getByTestId("token-table")).toContainText("e2e cli");
  await page.screenshot({ path: "test-results/profile-tokens.png", fullPage: true });
  const zh = await signedIn(dba, { locale: "zh" });
  await open(zh, "/profile");
  await expect(zh.getByText("API 令牌").first()).toBeVisible();
  await zh.screenshot({ path: "test-results/profile-tokens-zh.png", fullPage: true });

  const dir = await mkdtemp(join(tmpdir(), "hedwig-cli-"));
  const config = join(dir, "hedwig", "config.json");

  // login keeps the URL and token owner-only
  expect((await hedwig(config, ["services", "ls"])).code).toBe(3);
  const login = await hedwig(config, ["login", "--url", baseURL!, "--token", secret]);
  expect(login.code, login.stderr).toBe(0);
  expect((await stat(config)).mode & 0o777).toBe(0o600);

  // list
  const ls = await hedwig(config, ["services", "ls", "-l", live.refund.line.code, "-o", "json"]);
  expect(ls.code, ls.stderr).toBe(0);
  const rows = JSON.parse(ls.stdout) as { id: number; name: string; productLine: { id: number; code: string } }[];
  expect(rows.map((r) => r.name)).toContain(live.refund.name);
  expect(new Set(rows.map((r) => r.productLine.code))).toEqual(new Set([live.refund.line.code]));
  const table = await hedwig(config, ["services", "ls", "-l", live.refund.line.code]);
  expect(table.stdout.split("\n")[0]).toMatch(/^ID\s+NAME\s+KIND/);

  // request, approve, watch the job to delivered
  const plan = join(dir, "plan.yaml");
  await writeFile(
    plan,
    [
      `productLineId: ${rows[0]!.productLine.id}`,
      "kind: MEMCACHED",
      "purpose: e2e cli cache for the refund page",
      "capacityGb: 1",
      "peakQps: 2000",
      "expectedKeys: 10000",
      "persistence: none",
      "highAvailability: false",
      "idcPreference: null",
      "readRatio: 80",
      "",
    ].join("\n"),
  );
  const made = await hedwig(config, ["request", "new", "-f", plan, "-o", "json"]);
  expect(made.code, made.stderr).toBe(0);
  const request = (JSON.parse(made.stdout) as { id: number; status: string }[])[0]!;
  expect(request.status).toBe("SUBMITTED");
  const approved = await hedwig(config, ["request", "approve", String(request.id), "-m", "approved from the CLI", "-o", "json"]);
  expect(approved.code, approved.stderr).toBe(0);
  const job = (JSON.parse(approved.stdout) as { id: string }[])[0]!;
  const watch = await hedwig(config, ["job", "watch", job.id]);
  expect(watch.code, watch.stderr + watch.stdout).toBe(0);
  expect(watch.stderr).toContain("SUCCEEDED");
  expect(watch.stdout.split("\n").length).toBeGreaterThan(3);
  await until("the request to be delivered", 30_000, async () => (await db.resourceRequest.findUnique({ where: { id: request.id } }))?.status === "DELIVERED");

  // drain a member of the live Twemproxy service's VIP, then enable it again
  const app = await db.lbApplication.findFirstOrThrow({ where: { serviceId: live.order.id }, include: { members: { orderBy: { id: "asc" } } } });
  const member = app.members[0]!;
  const drain = await hedwig(config, ["lb", "member", "drain", String(member.id), "-o", "json"]);
  expect(drain.code, drain.stderr).toBe(0);
  expect((JSON.parse(drain.stdout) as { state: string }[])[0]!.state).toBe("DRAINING");
  const enable = await hedwig(config, ["lb", "member", "enable", String(member.id)]);
  expect(enable.code, enable.stderr).toBe(0);
  expect((await db.lbMember.findUniqueOrThrow({ where: { id: member.id } })).state).toBe("ENABLED");

  // the request and its job as the CLI shows them
  const mine = await hedwig(config, ["request", "ls", "--mine", "-o", "json"]);
  expect(mine.code, mine.stderr).toBe(0);
  expect((JSON.parse(mine.stdout) as { id: number }[]).map((r) => r.id)).toContain(request.id);
  const shown = await hedwig(config, ["request", "show", String(request.id), "-o", "json"]);
  expect(JSON.parse(shown.stdout)).toMatchObject({ id: request.id, status: "DELIVERED" });
  const jobShown = await hedwig(config, ["job", "show", job.id]);
  expect(jobShown.code, jobShown.stderr).toBe(0);
  expect(jobShown.stdout).toMatch(/status\s+SUCCEEDED/);
  expect(jobShown.stdout.split("\n")[0]).toContain(job.id);

  // a service's instances at its nested path, by selector; its health
  const cart = await hedwig(config, ["instances", "ls", "--service", String(live.cart.id), "--selector", "role=master", "-o", "json"]);
  expect(cart.code, cart.stderr).toBe(0);
  const masters = JSON.parse(cart.stdout) as { id: number; role: string; serviceId: number }[];
  expect(masters.length).toBeGreaterThan(0);
  expect(masters.every((i) => i.role === "MASTER" && i.serviceId === live.cart.id)).toBe(true);
  const health = await hedwig(config, ["services", "health", String(live.cart.id)]);
  expect(health.code, health.stderr).toBe(0);
  expect(health.stdout).toMatch(/^canary\s+/m);
  expect(health.stdout).toMatch(/^incident\s+/m);

  // an alert from another system opens an incident, the board shows its line worst first, resolving closes it
  const raised = await hedwig(config, ["alert", "raise", live.refund.name, "--source", "e2e", "--key", "disk", "-m", "disk 97% full", "-o", "json"]);
  expect(raised.code, raised.stderr).toBe(0);
  const incident = (JSON.parse(raised.stdout) as { incidentId: number; opened: boolean }[])[0]!;
  expect(incident.opened).toBe(true);
  const boardOnce = await hedwig(config, ["board", "--once"]);
  expect([0, 1]).toContain(boardOnce.code);
  const boardJson = JSON.parse((await hedwig(config, ["board", "--once", "-o", "json"])).stdout) as {
    lines: { productLine: string; worst: string; problems: { level: string }[] }[];
  };
  const rank = (l: string) => ["RED", "AMBER"].indexOf(l);
  for (let i = 1; i < boardJson.lines.length; i++) expect(rank(boardJson.lines[i]!.worst)).toBeGreaterThanOrEqual(rank(boardJson.lines[i - 1]!.worst));
  for (const line of boardJson.lines) {
    const levels = line.problems.map((p) => rank(p.level));
    expect(levels).toEqual([...levels].sort());
  }
  const resolved = await hedwig(config, ["alert", "resolve", live.refund.name, "--source", "e2e", "--key", "disk", "-o", "json"]);
  expect(resolved.code, resolved.stderr).toBe(0);
  expect((await db.incident.findUniqueOrThrow({ where: { id: incident.incidentId } })).closedAt).not.toBeNull();
  expect((await hedwig(config, ["alert", "resolve", live.refund.name, "--source", "e2e", "--key", "disk"])).code).toBe(5);

  // a master cannot be failed over to: 400 → 6, said in the terminal's language
  const refused = await hedwig(config, ["failover", String(masters[0]!.id)], { LANG: "zh_CN.UTF-8" });
  expect(refused.code).toBe(6);
  expect(refused.stderr).toMatch(/[\u4e00-\u9fff]/);

  // shell completion for bash and zsh, from the command tree
  const zsh = await hedwig(config, ["completion", "zsh"]);
  expect(zsh.stdout).toContain("bashcompinit");
  expect(zsh.stdout).toContain("alert");

  // exit codes
  expect((await hedwig(config, ["services", "show", "2000000000"])).code).toBe(5);
  expect((await hedwig(config, ["no-such-command"])).code).toBe(2);
  expect((await hedwig(config, ["services", "ls"], { HEDWIG_TOKEN: "hdw_not-a-token" })).code).toBe(3);
  expect((await hedwig(config, ["request", "reject", String(request.id), "-m", "no"])).code).toBe(6);
  const batch = await hedwig(config, ["instance", "restart", "--selector", `service=${live.refund.name}`]);
  expect(batch.code).toBe(9); // a batch without a terminal needs --yes
  expect(batch.stderr).toContain(live.refund.name);
  const completion = await hedwig(config, ["completion", "bash"]);
  expect(completion.stdout).toContain("complete -F _hedwig hedwig");

  // a NOC's token cannot approve: 403 → 4
  const nocPage = await signedIn({ role: "NOC" });
  await open(nocPage, "/profile");
  await nocPage.getByTestId("token-name").fill("noc cli");
  await nocPage.getByTestId("token-create").click();
  const nocToken = (await nocPage.getByTestId("token-secret").textContent())!.trim();
  expect((await hedwig(config, ["request", "approve", String(request.id)], { HEDWIG_TOKEN: nocToken })).code).toBe(4);
});

test("the API reference lists the operations and tries one with the session", async ({ signedIn }) => {
  const page = await signedIn({ role: "NOC" });
  await open(page, "/api-docs");
  const ops = page.getByTestId("api-operation");
  expect(await ops.count()).toBeGreaterThan(20);
  const list = ops.filter({ hasText: "/api/v1/services" }).first();
  await list.locator("button").first().click();
  await list.getByTestId("api-try").click();
  await expect(list.getByTestId("api-answer")).toContainText("200");
  await expect(list.getByTestId("api-answer")).toContainText('"total"');
  await page.screenshot({ path: "test-results/api-docs.png" });
  const doc = await page.request.get("/api/v1/openapi.json");
  expect((await doc.json()).openapi).toMatch(/^3\.1/);
});
