import { explainingHosts, pagingReasons, reasonLog, type Level, type Reason, type Verdict } from "./rules";

/** What a service points at: its own open incident, or its dead host's. */
export interface CurrentIncident {
  id: number;
  hostId: number | null;
}

export type IncidentStep =
  | { kind: "open"; reasons: Reason[] }
  | { kind: "joinHost"; hostId: number }
  | { kind: "keep"; id: number }
  | { kind: "close"; id: number }
  | { kind: "leave" }
  | { kind: "none" };

/**
 * What a service's verdict does to its incident. A service incident opens on the first red that
 * pages (not a DBA's maintenance, not a dead host: those join the host's one incident) and closes
 * only when the service is green again; amber or unknown while open keep it open. A service on a
 * host incident leaves it when it is green, or opens its own when something else pages.
 */
export function incidentStep(current: CurrentIncident | null, v: Verdict): IncidentStep {
  const paging = pagingReasons(v);
  const level = v.level as Level;
  if (current && current.hostId === null) return level === "GREEN" ? { kind: "close", id: current.id } : { kind: "keep", id: current.id };
  if (paging.length) return { kind: "open", reasons: v.reasons };
  const hosts = level === "RED" ? explainingHosts(v) : [];
  if (current) return level === "GREEN" ? { kind: "leave" } : { kind: "keep", id: current.id };
  return hosts.length ? { kind: "joinHost", hostId: hosts[0]! } : { kind: "none" };
}

/** The first red reason that pages, as operator English for the incident row and the logs. */
export function headline(reasons: Reason[]): string {
  const red = reasons.filter((r) => r.level === "RED");
  const first = red[0] ?? reasons[0];
  return first ? reasonLog(first) : "red";
}

/** Red reason codes present now that the incident had not seen: each becomes a timeline entry. */
export function newReasons(before: Reason[], now: Reason[]): Reason[] {
  // reasons stored before they were codes have no params
  const key = (r: Reason) => `${r.code}|${r.params?.addr ?? r.params?.shard ?? ""}`;
  const seen = new Set(before.map(key));
  return now.filter((r) => r.level === "RED" && !seen.has(key(r)));
}

/** Minutes without acknowledgement after which an incident escalates, per importance (1–5 stars). */
export function escalationDue(
  i: { openedAt: Date; importance: number; acknowledgedAt: Date | null; escalatedAt: Date | null; silencedUntil: Date | null },
  afterMinutes: Record<string, number>,
  now: Date,
): boolean {
  if (i.acknowledgedAt || i.escalatedAt) return false;
  if (i.silencedUntil && i.silencedUntil > now) return false;
  const minutes = afterMinutes[String(i.importance)] ?? afterMinutes["3"] ?? 30;
  return now.getTime() - i.openedAt.getTime() >= minutes * 60_000;
}
