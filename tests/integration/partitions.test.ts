import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db/client";
import { fleetMaintenance } from "../../server/domain/monitoring/maintenance";
import { ensurePartitionsFor, listSamplePartitions, PARTITION_DAYS_AHEAD } from "../../server/domain/monitoring/partitions";
import { sampleRows } from "../fixtures/monitoring-rows";
import { freshDatabase } from "./db";

const DAY = 86_400_000;
const ymd = (t: number) => `MetricSample_${new Date(t).toISOString().slice(0, 10).replace(/-/g, "")}`;
let db: Db;

beforeAll(async () => {
  ({ db } = await freshDatabase());
  await db.setting.create({ data: { key: "monitoring", value: { rawRetentionDays: 2 } } });
});

describe("raw samples by day", () => {
  it("the leader makes the next days ahead, and retention drops whole past days (their rows with them)", async () => {
    // a leader running 20 days from now: the days up to 3 ahead of it appear
    const at = new Date(Math.floor(Date.now() / DAY) * DAY + 20 * DAY + 3_600_000);
    const future = Math.floor(at.getTime() / DAY) * DAY;
    const samples = sampleRows([{ id: 1, serviceId: 1 }], new Date(future - 3 * DAY + 43_200_000), 3600, 72, { ops: 10, usedMb: 1, maxMb: 2 });
    await ensurePartitionsFor(
      db,
      samples.map((s) => s.at),
    );
    await db.metricSample.createMany({ data: samples });
    const written = (await listSamplePartitions(db)).map((p) => p.name);
    // the writer made the four days its rows fall on (6 to 3 days before that leader's day)
    for (const k of [6, 5, 4, 3]) expect(written).toContain(ymd(future - k * DAY));

    // and a sample of the day before that leader's: inside the 2-day window
    const recent = sampleRows([{ id: 1, serviceId: 1 }], new Date(future - DAY + 3_600_000), 3600, 1, { ops: 10, usedMb: 1, maxMb: 2 });
    await ensurePartitionsFor(
      db,
      recent.map((s) => s.at),
    );
    await db.metricSample.createMany({ data: recent });

    await fleetMaintenance(() => {})(db, at, 10);
    const after = (await listSamplePartitions(db)).map((p) => p.name);
    for (let k = 0; k <= PARTITION_DAYS_AHEAD; k++) expect(after).toContain(ymd(future + k * DAY));
    // kept 2 days: the days that ended 2 days before `at` are gone, whole
    for (const k of [6, 5, 4, 3]) expect(after).not.toContain(ymd(future - k * DAY));
    expect(await db.metricSample.count({ where: { at: { lt: new Date(future - 2 * DAY) } } })).toBe(0);
    // what is still inside the window stays
    expect(after).toContain(ymd(future - DAY));
    expect(await db.metricSample.findMany({ select: { at: true } })).toEqual(recent.map((s) => ({ at: s.at })));
  });
});
