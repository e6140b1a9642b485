/**
 * Health reasons, incident events and notices are codes with parameters (server/domain/health);
 * this turns them into text with a translator of the "health" namespace — on the page (live
 * durations from `since`) and on the server for webhook texts. Pure: no React, no server. A nested
 * reason `r` also gives `rTimed` ("true" when its own text carries a duration).
 */
export type Translate = (key: string, values?: Record<string, string | number>) => string;
export type Coded = { code: string; params: Record<string, unknown> };
export type TextContext = { t: Translate; now: Date; time: (d: Date) => string };

/** "25 s", "4 min", "2 h 5 min", "3 d 4 h". */
export function durationText(t: Translate, ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return t("duration.s", { n: s });
  const m = Math.floor(s / 60);
  if (m < 120) return t("duration.min", { n: m });
  const h = Math.floor(m / 60);
  if (h < 48) return t("duration.h", { h, m: m % 60 });
  return t("duration.d", { d: Math.floor(h / 24), h: h % 24 });
}

const isCoded = (v: unknown): v is Coded => !!v && typeof v === "object" && typeof (v as Coded).code === "string";
/** Whether a reason's text says how long already ("for 14 s", "14 s ago"): a notice around it then says it once. */
const saysDuration = (r: Coded) => ["since", "durationSec", "openedAt"].some((k) => (r.params ?? {})[k] !== undefined);

/** The socket errors the monitoring names (server/domain/monitoring/tcp-read.ts), said in the reader's words. */
const ERRNO = /\b(ECONNREFUSED|ECONNRESET|EHOSTUNREACH|EADDRNOTAVAIL)\b/g;

/** The values a message reads: the instance named, durations live, nested reasons rendered, null as "null" for select. */
function values(c: TextContext, p: Record<string, unknown>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(p)) {
    if (v === null || v === undefined) out[k] = "null";
    else if (typeof v === "number" || typeof v === "string") out[k] = v;
    else if (typeof v === "boolean") out[k] = String(v);
    else if (isCoded(v)) {
      out[k] = reasonText(c, v);
      out[`${k}Timed`] = String(saysDuration(v));
    } else if (Array.isArray(v)) out[k] = v.join(", ");
  }
  if (typeof p.addr === "string")
    out.instance = c.t(`instance.${String(p.role ?? "MASTER")}`, { addr: p.addr, shard: typeof p.shard === "number" ? p.shard : "?" });
  if (typeof p.since === "string") out.duration = durationText(c.t, c.now.getTime() - new Date(p.since).getTime());
  if (typeof p.durationSec === "number") out.duration = durationText(c.t, p.durationSec * 1000);
  if (typeof p.openedAt === "string" && out.duration === undefined)
    out.duration = durationText(c.t, (typeof p.closedAt === "string" ? new Date(p.closedAt) : c.now).getTime() - new Date(p.openedAt).getTime());
  if (typeof p.via === "string") out.via = c.t(`via.${p.via}`);
  if (typeof p.kind === "string") out.job = jobName(c.t, p.kind);
  if (typeof p.until === "string") out.until = c.time(new Date(p.until));
  if (typeof p.error === "string") out.error = p.error.replace(ERRNO, (name) => c.t(`errno.${name}`));
  return out;
}

export const jobName = (t: Translate, kind: string) => {
  const key = kind.replace(/\./g, "_");
  return ["instance_failover", "instance_restart", "instance_start", "instance_stop"].includes(key) ? t(`jobKinds.${key}`) : t("jobKinds.other", { kind });
};

export const reasonText = (c: TextContext, r: Coded) => c.t(`reasons.${r.code}`, values(c, r.params ?? {}));
export const eventText = (c: TextContext, e: Coded) => c.t(`events.${e.code}`, values(c, e.params ?? {}));
export const noticeText = (c: TextContext, n: Coded) => ({
  title: c.t(`notices.${n.code}.title`, values(c, n.params ?? {})),
  body: c.t(`notices.${n.code}.body`, values(c, n.params ?? {})),
});
