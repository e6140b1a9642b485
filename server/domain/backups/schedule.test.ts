import { describe, expect, it } from "vitest";
import { backupReason, nextDue } from "./schedule";
import { DEFAULT_BACKUP_SETTINGS as S } from "./settings";

const H = 3_600_000;
const now = new Date("2026-12-03T12:00:00Z");
const ago = (h: number) => new Date(now.getTime() - h * H);
const svc = (importance: number, backupEveryHours: number | null = null, createdHoursAgo = 100) => ({
  id: 1,
  kind: "REDIS_SENTINEL",
  createdAt: ago(createdHoursAgo),
  backupEveryHours,
  importance,
});

describe("backup schedule", () => {
  it("is due an interval after the last backup, or after the service was created; by importance unless the service has its own", () => {
    expect(nextDue(S, svc(5), ago(5))).toEqual(ago(-1)); // 5★: every 6 h
    expect(nextDue(S, svc(3), null)).toEqual(new Date(ago(100).getTime() + 24 * H));
    expect(nextDue(S, svc(5, 48), ago(5))).toEqual(ago(-43));
    expect(nextDue(S, svc(5, 0), ago(500)), "0: not scheduled").toBeNull();
  });

  it("turns amber when the newest finished backup failed, or the last good one is older than interval × lateFactor", () => {
    expect(backupReason(S, svc(5), { id: 7, status: "FAILED", finishedAt: ago(1) }, ago(2), now)).toMatchObject({
      code: "backup_failed",
      level: "AMBER",
      params: { backup: 7 },
    });
    expect(backupReason(S, svc(5), { id: 8, status: "SUCCEEDED", finishedAt: ago(8) }, ago(8), now), "8 h < 6 h × 1.5").toBeNull();
    expect(backupReason(S, svc(5), { id: 8, status: "SUCCEEDED", finishedAt: ago(10) }, ago(10), now)).toMatchObject({
      code: "backup_late",
      params: { hours: 6 },
    });
    expect(backupReason(S, svc(5, null, 5), null, null, now), "a new service is not late before its first interval").toBeNull();
    expect(backupReason(S, svc(5, null, 12), null, null, now)).toMatchObject({ code: "backup_late", params: { last: null } });
    expect(backupReason(S, svc(5, 0, 500), null, null, now), "no schedule, never late").toBeNull();
  });
});
