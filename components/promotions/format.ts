/** Figures as a DBA reads them: QPS with k/M, memory in MB/GB, shares as signed percentages. */
export const fmtQps = (v: number | null | undefined) =>
  v === null || v === undefined ? "—" : v >= 1e6 ? `${(v / 1e6).toFixed(2)}M` : v >= 1e4 ? `${(v / 1e3).toFixed(1)}k` : Math.round(v).toLocaleString("en-US");
export const fmtMem = (mb: number | null | undefined) =>
  mb === null || mb === undefined ? "—" : mb >= 1024 ? `${(mb / 1024).toFixed(1)} GB` : `${Math.round(mb)} MB`;
export const fmtInt = (v: number | null | undefined) => (v === null || v === undefined ? "—" : Math.round(v).toLocaleString("en-US"));
export const fmtX = (v: number | null | undefined) => (v === null || v === undefined ? "—" : `${v.toFixed(2)}×`);
export const fmtPct = (v: number | null | undefined, signed = true) =>
  v === null || v === undefined ? "—" : `${signed && v > 0 ? "+" : ""}${(v * 100).toFixed(0)} %`;
/** 2026-11-10 20:00 on the page's zone's clock. */
export const fmtWhen = (d: Date | string, timeZone: string) =>
  new Date(d).toLocaleString("sv-SE", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" });
