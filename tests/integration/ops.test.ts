import { spawnSync } from "node:child_process";
import fs from "node:fs";
import Redis from "ioredis";
import type PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db/client";
import { Collector } from "../../server/domain/monitoring/collector";
import { fleetMaintenance } from "../../server/domain/monitoring/maintenance";
import { createToken } from "../../server/domain/tokens/tokens";
import { startQueue } from "../../server/jobs/queue";
import { readiness } from "../../server/ops/health";
import { startOpsServer } from "../../server/ops/http";
import { freshDatabase, makeActor } from "./db";
import { ProcessFleet } from "./monitoring-fleet";

let db: Db;
let url: string;
let boss: PgBoss | null = null;
let ops: Awaited<ReturnType<typeof startOpsServer>>;
const base = () => `http://127.0.0.1:${ops.port}`;

beforeAll(async () => {
  ({ db, url } = await freshDatabase());
  ops = await startOpsServer(db, { port: 0 });
});
afterAll(async () => {
  await ops?.close();
  await boss?.stop({ graceful: false, wait: true });
  await fleet.stopAll();
});
const fleet = new ProcessFleet();

describe("probes", () => {
  it("/healthz answers without asking the database; /readyz names the queue until pg-boss is installed", async () => {
    const alive = await fetch(`${base()}/healthz`);
    expect(alive.status).toBe(200);
    expect(await alive.json()).toMatchObject({ alive: true, pid: process.pid });

    const before = await fetch(`${base()}/readyz`);
    expect(before.status).toBe(503);
    const body = (await before.json()) as Awaited<ReturnType<typeof readiness>>;
    expect(body.checks.database.ok).toBe(true);
    expect(body.checks.migrations.ok).toBe(true);
    expect(body.checks.queue).toMatchObject({ ok: false });

    boss = await startQueue(url);
    const after = await fetch(`${base()}/readyz`);
    expect(after.status).toBe(200);
    expect(await after.json()).toMatchObject({ ready: true, checks: { database: { ok: true }, queue: { ok: true }, migrations: { ok: true } } });
  });

  it("an unapplied migration makes the process not ready, and the web route says the same", async () => {
    const [last] = await db.$queryRaw<{ migration_name: string }[]>`
      SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name DESC LIMIT 1`;
    await db.$executeRaw`UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = ${last!.migration_name}`;
    try {
      const r = await readiness(db);
      expect(r.ready).toBe(false);
      expect(r.checks.migrations).toEqual({ ok: false, detail: "1 pending" });
      process.env.DATABASE_URL = url;
      const { GET } = await import("../../app/readyz/route");
      const web = await GET();
      expect(web.status).toBe(503);
      expect(await web.json()).toMatchObject({ ready: false, checks: { migrations: { ok: false } } });
    } finally {
      await db.$executeRaw`UPDATE "_prisma_migrations" SET rolled_back_at = NULL WHERE migration_name = ${last!.migration_name}`;
    }
    expect((await readiness(db)).ready).toBe(true);
  });

  it("a database that does not answer is reported, not thrown", async () => {
    const { createDb } = await import("../../server/db/client");
    const gone = createDb(url.replace(/:\d+\//, ":1/"), 1);
    try {
      const r = await readiness(gone);
      expect(r.ready).toBe(false);
      expect(r.checks.database.ok).toBe(false);
      // the answer never carries the connection string
      expect(JSON.stringify(r)).not.toContain(url.split("@")[0]!);
    } finally {
      await gone.$disconnect();
    }
  });
});

/**
 * Prometheus's own parser (promtool, Debian's prometheus package) judges the text format. It exits
 * 1 on what it cannot parse and 3 on lint findings; the only findings allowed are prom-client's own
 * Node gauges that end in `_total` (its names, not Hedwig's).
 */
function promtoolProblems(text: string): string[] {
  const r = spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
  if (r.error) throw r.error;
  const lines = `${r.stdout}${r.stderr}`.split("\n").filter(Boolean);
  if (r.status !== 0 && r.status !== 3) return lines.length ? lines : [`promtool exited ${r.status}`];
  return lines.filter((l) => !/^hedwig_nodejs_active_(handles|requests|resources)_total non-counter metrics/.test(l));
}

/** The sample lines of a metric, as [labels, value]; the labels parsed from `{k="v",…}`. */
function series(text: string, name: string): { labels: Record<string, string>; value: number }[] {
  return text
    .split("\n")
    .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
    .map((l) => {
      const m = /^[^{ ]+(?:\{(.*)\})? (\S+)$/.exec(l)!;
      const labels = Object.fromEntries([...(m[1] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1]!, x[2]!]));
      return { labels, value: Number(m[2]) };
    });
}

describe("/metrics", () => {
  const IP = "127.0.181.11";
  let tokens: { noc: string; biz: string };
  let app: Redis;
  afterAll(() => app?.disconnect());

  beforeAll(async () => {
    const dept = await db.department.create({ data: { code: "met", name: "Metrics" } });
    const line = await db.productLine.create({ data: { code: "met-line", name: "met-line", departmentId: dept.id, importance: 5 } });
    const idc = await db.idc.create({ data: { code: "met-idc", name: "MET", region: "cn-sh" } });
    const rack = await db.rack.create({ data: { idcId: idc.id, code: "r1" } });
    const host = await db.host.create({
      data: { ip: IP, hostname: "met-host-1", rackId: rack.id, cpuCores: 8, memoryMb: 16384, diskGb: 100, bandwidthMbps: 1000 },
    });
    const service = await db.service.create({ data: { name: "met-cache", productLineId: line.id, kind: "REDIS_STANDALONE" } });
    await db.instance.create({
      data: { serviceId: service.id, hostId: host.id, port: 7181, software: "REDIS", role: "MASTER", shardIndex: 0, version: "test", maxmemoryMb: 64 },
    });
    await db.setting.create({ data: { key: "monitoring", value: { intervalSec: 1 } } });
    await fleet.redis(IP, 7181, ["--maxmemory", "64mb"]);
    // an application's connection, which the clients figure counts (the collector's own it does not)
    app = new Redis({ host: IP, port: 7181 });
    await app.set("k", "v");
    // two real ticks (rates need two polls) and the leader's health verdict
    const collector = new Collector(db, { workerId: "met-worker", intervalMs: 1000, log: () => {} });
    const maintenance = fleetMaintenance(() => {});
    for (let k = 0; k < 2; k++) {
      const t = await collector.tick(new Date(Math.ceil(Date.now() / 1000) * 1000), 1000);
      await maintenance(db, t.at, 1);
      await new Promise((r) => setTimeout(r, 1000));
    }
    const noc = await makeActor(db, "NOC");
    const biz = await makeActor(db, "BUSINESS", [line.id]);
    tokens = {
      noc: (await createToken(db, noc, { name: "prometheus", role: "NOC", readOnly: true, expiresInDays: 1 })).secret,
      biz: (await createToken(db, biz, { name: "biz", role: "BUSINESS", readOnly: true, expiresInDays: 1 })).secret,
    };
    process.env.DATABASE_URL = url;
  });

  const scrape = async (token?: string) => {
    const { GET } = await import("../../app/metrics/route");
    return GET(new Request("http://hedwig.test/metrics", { headers: token ? { authorization: `Bearer ${token}` } : {} }));
  };

  it("is refused without a token, with an unknown one, and to a role scoped to product lines", async () => {
    expect((await scrape()).status).toBe(401);
    expect((await scrape("hdw_not-a-token")).status).toBe(401);
    expect((await scrape(tokens.biz)).status).toBe(403);
    const worker = await fetch(`${base()}/metrics`);
    expect(worker.status).toBe(401);
  });

  it("parses with Prometheus's own parser and labels every figure with the catalogue", async () => {
    const res = await scrape(tokens.noc);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const text = await res.text();
    expect(promtoolProblems(text)).toEqual([]);

    const labels = {
      product_line: "met-line",
      importance: "5",
      service: "met-cache",
      role: "MASTER",
      idc: "met-idc",
      host: "met-host-1",
      address: `${IP}:7181`,
      software: "REDIS",
    };
    expect(series(text, "hedwig_instance_up")).toEqual([{ labels, value: 1 }]);
    const [mem] = series(text, "hedwig_instance_maxmemory_bytes");
    expect(mem).toEqual({ labels, value: 64 * 1024 * 1024 });
    expect(series(text, "hedwig_instance_used_memory_bytes")[0]!.value).toBeGreaterThan(100_000);
    expect(series(text, "hedwig_instance_clients")[0]!.value).toBeGreaterThanOrEqual(1);

    const svc = { product_line: "met-line", importance: "5", service: "met-cache", kind: "REDIS_STANDALONE" };
    expect(series(text, "hedwig_service_maxmemory_bytes")).toEqual([{ labels: svc, value: 64 * 1024 * 1024 }]);
    expect(series(text, "hedwig_service_instances_up")).toEqual([{ labels: svc, value: 1 }]);
    const health = series(text, "hedwig_service_health");
    expect(health).toHaveLength(5);
    expect(health.filter((h) => h.value === 1)).toEqual([{ labels: { ...svc, level: "GREEN" }, value: 1 }]);

    // this process's own figures beside the fleet's
    expect(series(text, "hedwig_collector_tick_seconds_count")[0]!.value).toBeGreaterThanOrEqual(2);
    expect(series(text, "hedwig_collector_instances_polled")).toEqual([{ labels: {}, value: 1 }]);
    expect(
      series(text, "hedwig_queue_jobs")
        .map((s) => s.labels.state)
        .sort(),
    ).toEqual(["active", "created", "retry"]);
    expect(text).toContain("hedwig_process_resident_memory_bytes");
    // no secret of the token travels back
    expect(text).not.toContain(tokens.noc);
  });

  it("a worker answers its own figures and the queue, not the fleet's (the web processes answer those once)", async () => {
    const res = await fetch(`${base()}/metrics`, { headers: { authorization: `Bearer ${tokens.noc}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(promtoolProblems(text)).toEqual([]);
    expect(text).toContain("hedwig_job_duration_seconds");
    expect(series(text, "hedwig_queue_jobs")).toHaveLength(3);
    expect(series(text, "hedwig_instance_up")).toEqual([]);
  });

  it("the Grafana dashboard in the repository asks only for series Hedwig exposes", async () => {
    const web = await (await scrape(tokens.noc)).text();
    const worker = await (await fetch(`${base()}/metrics`, { headers: { authorization: `Bearer ${tokens.noc}` } })).text();
    const exposed = new Set(
      [...`${web}\n${worker}`.matchAll(/^# TYPE (\w+) (\w+)/gm)].flatMap((m) =>
        m[2] === "histogram" ? [`${m[1]}_bucket`, `${m[1]}_count`, `${m[1]}_sum`] : [m[1]!],
      ),
    );
    const dashboard = JSON.parse(fs.readFileSync("ops/grafana/hedwig-fleet.json", "utf8")) as { panels: { targets: { expr: string }[] }[] };
    const asked = dashboard.panels.flatMap((p) => p.targets.flatMap((t) => [...t.expr.matchAll(/\bhedwig_\w+/g)].map((m) => m[0])));
    expect(asked.length).toBeGreaterThan(10);
    expect(asked.filter((name) => !exposed.has(name))).toEqual([]);
  });
});
