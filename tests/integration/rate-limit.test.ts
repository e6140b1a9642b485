import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../server/db/client";
import { RateLimiter } from "../../server/domain/access/rate-limit";
import { fleetMaintenance } from "../../server/domain/monitoring/maintenance";
import { freshDatabase } from "./db";

/**
 * The /api/v1 budget is one per caller whichever web process answers: two limiters on two
 * connection pools (two web processes) to one database count into the same windows.
 */
let web1: Db;
let web2: Db;

beforeAll(async () => {
  const fresh = await freshDatabase();
  web1 = fresh.db;
  web2 = createDb(fresh.url, 5);
});
afterAll(async () => {
  await web2.$disconnect();
});

// 15 s into a minute, so the refusal's wait is known
const at = new Date(Date.UTC(2026, 11, 3, 19, 0, 15));
const later = (ms: number) => new Date(at.getTime() + ms);

describe("API rate limit shared through PostgreSQL", () => {
  it("N calls split over two processes, even at once, pass; the next through either is refused until the minute ends", async () => {
    const a = new RateLimiter(10);
    const b = new RateLimiter(10);
    const caller = "token:" + "ab".repeat(32);
    // 20 calls at once, half through each process: exactly the budget passes, whoever counted first
    const first = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a.take(web1, caller, at) : b.take(web2, caller, at))));
    expect(first.filter((w) => w === null)).toHaveLength(10);
    expect(first.filter((w) => w !== null)).toEqual(Array(10).fill(45));

    const wait1 = await a.take(web1, caller, later(20_000));
    const wait2 = await b.take(web2, caller, later(44_500));
    expect(wait1).toBe(25);
    expect(wait2).toBe(1);
    for (const w of [wait1!, wait2!]) expect(w > 0 && w <= 60).toBe(true);

    // another caller has its own budget
    expect(await b.take(web2, "user:7", later(20_000))).toBeNull();
    // the next minute starts fresh, for both processes
    expect(await a.take(web1, caller, later(45_000))).toBeNull();
    expect(await b.take(web2, caller, later(46_000))).toBeNull();
    const rows = await web1.apiRateWindow.findMany({ where: { caller }, orderBy: { windowStart: "asc" } });
    expect(rows.map((r) => [r.windowStart.toISOString(), r.count])).toEqual([
      ["2026-12-03T19:00:00.000Z", 22],
      ["2026-12-03T19:01:00.000Z", 2],
    ]);
  });

  it("the worker's maintenance tick deletes the windows that ended over a minute ago, and only those", async () => {
    await web1.apiRateWindow.deleteMany();
    const l = new RateLimiter(10);
    // at 19:00:15: the 18:58 window ended 75 s ago and goes; the last minute's and this one's stay
    for (const minutesAgo of [10, 3, 2, 1, 0]) await l.take(web1, "user:1", later(-minutesAgo * 60_000));
    await fleetMaintenance(() => {})(web1, at, 10);
    const left = await web1.apiRateWindow.findMany({ orderBy: { windowStart: "asc" } });
    expect(left.map((r) => r.windowStart.toISOString())).toEqual(["2026-12-03T18:59:00.000Z", "2026-12-03T19:00:00.000Z"]);
  });
});
