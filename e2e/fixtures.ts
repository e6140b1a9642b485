import crypto from "node:crypto";
import { test as base, expect, request as playwrightRequest, type APIRequestContext, type Page } from "@playwright/test";
import type { PromotionKind, Role, ServiceKind } from "../generated/prisma/enums";
import { hashPassword } from "../server/auth/password";
import type { Db } from "../server/db/client";
import { LIVE_DEMO } from "../server/db/seed/live";
import { e2eDb, until } from "./live-fleet";

/**
 * Typed fixtures in the manner of cal.com's: every spec makes the users and data it needs, signs in
 * through next-auth's endpoints, and leaves nothing behind for another spec to lean on.
 */

const BASE_URL = `http://localhost:${process.env.E2E_PORT ?? 3100}`;
const suffix = () => crypto.randomBytes(3).toString("hex");

export type TestUser = { id: number; username: string; password: string; role: Role };
export type UserSpec = { role: Role; lines?: { id: number }[]; mustChangePassword?: boolean };
export type Line = { id: number; code: string; name: string; importance: number };
type Locale = "en" | "zh";
export type LiveService = { id: number; name: string; line: Line };
type LiveFleet = Record<"cart" | "order" | "refund", LiveService>;

/** Signs in through next-auth's credentials endpoint (csrf token, then the callback), as the form does. */
async function signIn(request: APIRequestContext, user: { username: string; password: string }): Promise<void> {
  const { csrfToken } = await (await request.get("/api/auth/csrf")).json();
  const res = await request.post("/api/auth/callback/credentials", {
    form: { csrfToken, username: user.username, password: user.password, json: "true" },
    maxRedirects: 0,
  });
  expect([200, 302]).toContain(res.status());
  const session = await (await request.get("/api/auth/session")).json();
  expect(session?.user?.username).toBe(user.username);
}

/** Navigates and waits until React has hydrated, so typed text is not lost to the first render. */
export async function open(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await page.locator("body[data-hydrated]").waitFor();
}

/** A tRPC call over HTTP; the answer's data, or the test fails with the server's words. */
export async function trpc<T>(api: APIRequestContext, path: string, input: unknown): Promise<T> {
  const res = await api.post(`/api/trpc/${path}`, { data: { json: input } });
  expect(res.status(), `${path}: ${await res.text()}`).toBe(200);
  return (await res.json()).result.data.json as T;
}

async function createUser(db: Db, spec: UserSpec): Promise<TestUser> {
  const password = `e2e-${crypto.randomBytes(9).toString("base64url")}`;
  const username = `e2e-${spec.role.toLowerCase()}-${suffix()}`;
  const user = await db.user.create({
    data: {
      username,
      displayName: username,
      role: spec.role,
      passwordHash: await hashPassword(password),
      mustChangePassword: spec.mustChangePassword ?? false,
      memberships: { create: (spec.lines ?? []).map((l) => ({ productLineId: l.id })) },
    },
  });
  return { id: user.id, username, password, role: spec.role };
}

/**
 * Deletes a test user. Rows that only point at the person (audit lines keep the actor's name, jobs,
 * locks, decisions, acknowledgements) let go of it, and its requests that never became a service go
 * with it. A user whose request was delivered stays, disabled and without lines: the running service
 * still names its requester (Hedwig has no decommissioning; the run's teardown stops the processes).
 */
async function removeUser(db: Db, user: { id: number; username: string }): Promise<void> {
  await db.$transaction(async (tx) => {
    const id = user.id;
    await tx.auditEntry.updateMany({ where: { actorId: id }, data: { actorId: null } });
    await tx.job.updateMany({ where: { createdById: id }, data: { createdById: null } });
    await tx.allocation.updateMany({ where: { holderId: id }, data: { holderId: null } });
    await tx.incident.updateMany({ where: { acknowledgedById: id }, data: { acknowledgedById: null } });
    await tx.resourceRequest.updateMany({ where: { decidedById: id }, data: { decidedById: null } });
    const open = (await tx.resourceRequest.findMany({ where: { requesterId: id, serviceId: null }, select: { id: true } })).map((r) => r.id);
    await tx.job.updateMany({ where: { requestId: { in: open } }, data: { requestId: null } });
    await tx.resourceRequest.deleteMany({ where: { id: { in: open } } });
    if (await tx.resourceRequest.count({ where: { requesterId: id } })) {
      await tx.productLineMember.deleteMany({ where: { userId: id } });
      await tx.apiToken.deleteMany({ where: { userId: id } });
      await tx.user.update({ where: { id }, data: { disabled: true, sessionVersion: { increment: 1 } } });
    } else await tx.user.delete({ where: { id } });
    await tx.signInThrottle.deleteMany({ where: { key: `user:${user.username}` } });
  });
}

/**
 * A product line for one test or one worker, gone after unless a service now lives on it. It joins the
 * department with the most hosts of its own tier (the demo catalogue's): a department without hosts
 * would leave the scheduler no room for its services.
 */
async function createLine(db: Db, importance: number, label = "line"): Promise<Line> {
  const code = `e2e-${label}-${suffix()}`;
  const department = await db.department.findFirstOrThrow({ orderBy: [{ hosts: { _count: "desc" } }, { id: "asc" }] });
  const line = await db.productLine.create({ data: { code, name: code, importance, departmentId: department.id } });
  return { id: line.id, code, name: code, importance };
}

async function removeLine(db: Db, line: { id: number }): Promise<void> {
  await db.productLine.deleteMany({ where: { id: line.id, services: { none: {} }, requests: { none: {} } } });
}

const LIVE_ROLES: Record<"cart" | "order" | "refund", ServiceKind> = { cart: "REDIS_SENTINEL", order: "REDIS_TWEMPROXY", refund: "MEMCACHED" };

/** The newest live fleet of this server's run, when each of its services is delivered and green. */
async function keptLiveFleet(db: Db): Promise<LiveFleet | null> {
  const fleet: Partial<LiveFleet> = {};
  for (const [role, kind] of Object.entries(LIVE_ROLES) as ["cart" | "order" | "refund", ServiceKind][]) {
    const s = await db.service.findFirst({
      where: { kind, status: { not: "DECOMMISSIONED" }, productLine: { code: { startsWith: "e2e-live-" } } },
      // the newest fleet's line; in it the service the fleet asked for, not one a test added later
      orderBy: [{ productLineId: "desc" }, { id: "asc" }],
      include: { health: true, productLine: true },
    });
    if (s?.health?.level !== "GREEN") return null;
    const l = s.productLine;
    fleet[role] = { id: s.id, name: s.name, line: { id: l.id, code: l.code, name: l.name, importance: l.importance } };
  }
  return fleet as LiveFleet;
}

type Cleanup = (fn: () => Promise<unknown>) => void;

export type TestFixtures = {
  /** registers an undo, run after the test (last registered first) */
  cleanup: Cleanup;
  users: { create(spec: UserSpec): Promise<TestUser> };
  /** a page of a fresh browser context signed in as the user (made from `spec` when not given), in `locale` */
  signedIn: (who: TestUser | UserSpec, options?: { locale?: Locale; forwardedFor?: string }) => Promise<Page>;
  /** an API client signed in as the user (made from `spec` when not given) */
  api: (who?: TestUser | UserSpec) => Promise<APIRequestContext>;
  productLines: { create(options?: { importance?: number }): Promise<Line> };
  promotions: {
    create(p: { kind: PromotionKind; startsAt: Date; endsAt: Date; name?: string }): Promise<{ id: number; name: string }>;
    /** a promotion the test makes through the page: removed after by its name */
    adopt(name: string): void;
  };
  /** a catalogued service (rows only, no process behind it) on a line */
  services: { create(s: { line: { id: number }; kind: ServiceKind; name?: string }): Promise<{ id: number; name: string }> };
  /** a request made through the API by a member of its line; withdrawn and removed after */
  requests: { create(form: Record<string, unknown>, requester: TestUser): Promise<{ id: number }> };
};

type WorkerFixtures = {
  db: Db;
  /** the three live services of this worker: Redis with Sentinel, Redis shards behind Twemproxy, Memcached */
  liveFleet: LiveFleet;
};

export const test = base.extend<TestFixtures, WorkerFixtures>({
  db: [
    async ({}, use) => {
      const db = e2eDb();
      await use(db);
      await db.$disconnect();
    },
    { scope: "worker" },
  ],

  cleanup: async ({}, use) => {
    const undo: (() => Promise<unknown>)[] = [];
    await use((fn) => void undo.push(fn));
    for (const fn of undo.reverse()) await fn();
  },

  users: async ({ db, cleanup }, use) => {
    await use({
      async create(spec) {
        const user = await createUser(db, spec);
        cleanup(() => removeUser(db, user));
        return user;
      },
    });
  },

  signedIn: async ({ browser, users, cleanup }, use) => {
    await use(async (who, options = {}) => {
      const user = "id" in who ? who : await users.create(who);
      const context = await browser.newContext();
      cleanup(() => context.close());
      if (options.locale) await context.addCookies([{ name: "hedwig-locale", value: options.locale, url: BASE_URL }]);
      if (options.forwardedFor) await context.setExtraHTTPHeaders({ "x-forwarded-for": options.forwardedFor });
      const page = await context.newPage();
      await signIn(page.request, user);
      return page;
    });
  },

  api: async ({ users, cleanup }, use) => {
    await use(async (who) => {
      const api = await playwrightRequest.newContext({ baseURL: BASE_URL });
      cleanup(() => api.dispose());
      if (who) await signIn(api, "id" in who ? who : await users.create(who));
      return api;
    });
  },

  productLines: async ({ db, cleanup }, use) => {
    await use({
      async create(options = {}) {
        const line = await createLine(db, options.importance ?? 2);
        cleanup(() => removeLine(db, line));
        return line;
      },
    });
  },

  promotions: async ({ db, cleanup }, use) => {
    const forget = (name: string) => cleanup(() => db.promotion.deleteMany({ where: { name } }));
    await use({
      async create(p) {
        const name = p.name ?? `E2E promotion ${suffix()}`;
        const row = await db.promotion.create({ data: { name, kind: p.kind, startsAt: p.startsAt, endsAt: p.endsAt } });
        forget(name);
        return { id: row.id, name };
      },
      adopt: forget,
    });
  },

  services: async ({ db, cleanup }, use) => {
    await use({
      async create(s) {
        const row = await db.service.create({ data: { name: s.name ?? `e2e-service-${suffix()}`, productLineId: s.line.id, kind: s.kind } });
        cleanup(async () => {
          await db.instance.deleteMany({ where: { serviceId: row.id } });
          await db.serviceHour.deleteMany({ where: { serviceId: row.id } });
          await db.service.delete({ where: { id: row.id } });
        });
        return { id: row.id, name: row.name };
      },
    });
  },

  requests: async ({ db, api, cleanup }, use) => {
    await use({
      async create(form, requester) {
        const client = await api(requester);
        const { id } = await trpc<{ id: number }>(client, "requests.create", { form, submit: true });
        cleanup(async () => {
          await db.job.updateMany({ where: { requestId: id }, data: { requestId: null } });
          await db.resourceRequest.deleteMany({ where: { id, serviceId: null } });
        });
        return { id };
      },
    });
  },

  liveFleet: [
    async ({ db }, use) => {
      // A worker started again after a failed test takes over the fleet the last one delivered while
      // all three services still serve: every fleet holds dedicated hosts of its own (importance 4
      // and 5), and a few restarts with a fleet each would use them up.
      const kept = await keptLiveFleet(db);
      if (kept) return void (await use(kept));
      // Three lines shaped like the demo's trade lines (the same requests, importances and kinds), a
      // member who asks and a DBA who approves, through the API; the worker delivers them for real.
      const importance = { REDIS_SENTINEL: 4, REDIS_TWEMPROXY: 5, MEMCACHED: 3 } as Partial<Record<ServiceKind, number>>;
      const forms = LIVE_DEMO.map((d) => d.form);
      const lines = await Promise.all(forms.map((f) => createLine(db, importance[f.kind] ?? 3, "live")));
      const [requester, dba] = await Promise.all([createUser(db, { role: "BUSINESS", lines }), createUser(db, { role: "DBA" })]);
      const asRequester = await playwrightRequest.newContext({ baseURL: BASE_URL });
      const asDba = await playwrightRequest.newContext({ baseURL: BASE_URL });
      await signIn(asRequester, requester);
      await signIn(asDba, dba);
      const ids: number[] = [];
      for (const [i, form] of forms.entries()) {
        const { id } = await trpc<{ id: number }>(asRequester, "requests.create", { form: { ...form, productLineId: lines[i]!.id }, submit: true });
        await trpc(asDba, "requests.approve", { id, comment: "e2e: a live service of the fleet fixture" });
        ids.push(id);
      }
      await Promise.all([asRequester.dispose(), asDba.dispose()]);
      const delivered = await Promise.all(
        ids.map((id, i) =>
          until(`the live ${forms[i]!.kind} service to be delivered and green`, 240_000, async () => {
            const r = await db.resourceRequest.findUnique({ where: { id }, include: { service: { include: { health: true } } } });
            if (r?.status === "FAILED") throw new Error(`the fleet's request #${id} failed`);
            return r?.service?.health?.level === "GREEN" ? { id: r.service.id, name: r.service.name, line: lines[i]! } : null;
          }),
        ),
      );
      await use({ cart: delivered[0]!, order: delivered[1]!, refund: delivered[2]! });
      await removeUser(db, requester);
      await removeUser(db, dba);
    },
    { scope: "worker", timeout: 300_000 },
  ],
});

export { expect };
