import type { Role } from "../generated/prisma/enums";
import { appRouter } from "../server/api/root";
import { expect, test } from "./fixtures";

/**
 * Every procedure of the router is checked over HTTP, so a new mutation cannot ship without its
 * guard: anonymous callers get 401, and each role gets 403 from every mutation it may not call.
 */
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>).map(([path, p]) => ({
  path,
  type: p._def.type,
}));
const mutations = procedures.filter((p) => p.type === "mutation").map((p) => p.path);
const queries = procedures.filter((p) => p.type === "query").map((p) => p.path);

/**
 * Every signed-in user marks their own notices read and keeps their own tokens; anyone may ask to
 * reveal a service's password, and the domain answers by product line (e2e/credentials.spec.ts).
 */
const OWN = ["me.markNotificationsRead", "me.changePassword", "tokens.create", "tokens.revoke", "credentials.reveal"];

/** Monitoring settings, health thresholds, per-service overrides and alert webhooks: DBA and ADMIN; NOC watches, it does not configure. */
const MONITORING_SETTINGS = (path: string) => path.startsWith("monitoring.");

/**
 * Mutations a role may call; every other mutation must answer it 403. Libra's (libra.*) are DBA's
 * and ADMIN's alone: NOC only reads load balancing and BUSINESS does not see it.
 */
const ALLOWED: Record<Exclude<Role, "ADMIN">, (path: string) => boolean> = {
  // NOC watches the board: it acknowledges and silences incidents, and changes nothing else.
  // It also raises and resolves alerts from the systems it watches (POST /api/v1/alerts).
  NOC: (path) => OWN.includes(path) || ["board.acknowledge", "board.silence", "alerts.raise"].includes(path),
  BUSINESS: (path) => OWN.includes(path) || ["requests.create", "requests.submit", "requests.withdraw", "requests.cancel"].includes(path),
  // DBAs keep the promotion calendar and its settings (promotions.create/update/delete/saveSettings); NOC and BUSINESS only read them.
  DBA: (path) =>
    MONITORING_SETTINGS(path) ||
    ![
      "admin.createUser",
      "admin.updateUser",
      "admin.setWebhookRanges",
      "tokens.createService",
      "productLines.createDepartment",
      "productLines.delete",
      "productLines.setMembers",
    ].includes(path),
};

test("the router has the procedures this test guards", () => {
  expect(mutations.length).toBeGreaterThan(20);
  expect(mutations).toContain("hosts.batch");
  expect(mutations).toEqual(expect.arrayContaining(["promotions.create", "promotions.update", "promotions.delete", "promotions.saveSettings"]));
});

test("anonymous callers get 401 from every procedure", async ({ api: client }) => {
  const api = await client();
  for (const path of mutations) {
    const res = await api.post(`/api/trpc/${path}`, { data: { json: {} } });
    expect(res.status(), path).toBe(401);
  }
  for (const path of queries) {
    const res = await api.get(`/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: {} }))}`);
    expect(res.status(), path).toBe(401);
  }
});

for (const role of ["NOC", "BUSINESS", "DBA"] as const) {
  test(`${role} gets 403 from every mutation it may not call`, async ({ api: client }) => {
    const api = await client({ role });
    const refused = mutations.filter((m) => !ALLOWED[role](m));
    expect(refused.length).toBeGreaterThan(0);
    for (const path of refused) {
      const res = await api.post(`/api/trpc/${path}`, { data: { json: {} } });
      expect(res.status(), path).toBe(403);
      expect((await res.json()).error.json.message, path).toMatch(/needs the role/);
    }
  });
}

test("monitoring settings and webhooks are not readable by NOC or BUSINESS", async ({ api: client }) => {
  const input = encodeURIComponent(JSON.stringify({ json: {} }));
  for (const role of ["NOC", "BUSINESS"] as const) {
    const api = await client({ role });
    for (const path of ["monitoring.settings", "monitoring.webhooks"])
      expect((await api.get(`/api/trpc/${path}?input=${input}`)).status(), `${role} ${path}`).toBe(403);
  }
});

test("BUSINESS gets 403 from fleet-wide reads and 200 from its own", async ({ api: client, productLines }) => {
  const lines = [await productLines.create(), await productLines.create()];
  const api = await client({ role: "BUSINESS", lines });
  const input = (v: unknown) => encodeURIComponent(JSON.stringify({ json: v }));
  expect((await api.get(`/api/trpc/hosts.list?input=${input({})}`)).status()).toBe(403);
  expect((await api.get(`/api/trpc/admin.audit?input=${input({})}`)).status()).toBe(403);
  expect((await api.get(`/api/trpc/libra.pools?input=${input({})}`)).status()).toBe(403);
  const own = await api.get(`/api/trpc/productLines.list?input=${input({})}`);
  expect(own.status()).toBe(200);
  const seen = (await own.json()).result.data.json as { code: string }[];
  expect(seen.map((l) => l.code).sort()).toEqual(lines.map((l) => l.code).sort());
});
