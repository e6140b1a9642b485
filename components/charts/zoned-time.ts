/**
 * ECharts draws time axes in the browser's zone or in UTC, nothing else. To show a chart in the
 * page's zone, its times are moved to that zone's wall clock and drawn as UTC (`useUTC`), so
 * ticks fall on the zone's hours and midnights and the tooltip reads the same clock as the page.
 */
export function toWallClock(timeZone: string): (ms: number) => number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
  return (ms) => {
    const p = Object.fromEntries(parts.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
    const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
    return wall + (((ms % 1000) + 1000) % 1000);
  };
}

/** The instant whose wall clock in `timeZone` is `wallMs` (read as UTC): the inverse of toWallClock. */
export function fromWallClock(wallMs: number, timeZone: string): number {
  const wall = toWallClock(timeZone);
  // The offset at the guess, then once more at the corrected instant (right across a DST change).
  const first = wallMs - (wall(wallMs) - wallMs);
  return wallMs - (wall(first) - first);
}

/** "2026-11-10T20:00" for an `<input type="datetime-local">` on the zone's clock. */
export const toZonedInput = (d: Date | string, timeZone: string) => new Date(toWallClock(timeZone)(new Date(d).getTime())).toISOString().slice(0, 16);

/** The instant an `<input type="datetime-local">` means on the zone's clock. */
export const fromZonedInput = (value: string, timeZone: string) => new Date(fromWallClock(Date.parse(`${value}Z`), timeZone));

/** "UTC+8", "UTC-4": the zone's offset at that instant, for column headers. */
export function zoneOffsetLabel(timeZone: string, at = new Date()): string {
  const minutes = Math.round((toWallClock(timeZone)(at.getTime()) - at.getTime()) / 60_000);
  if (minutes === 0) return "UTC";
  const h = Math.trunc(Math.abs(minutes) / 60);
  const m = Math.abs(minutes) % 60;
  return `UTC${minutes > 0 ? "+" : "-"}${h}${m ? `:${String(m).padStart(2, "0")}` : ""}`;
}
