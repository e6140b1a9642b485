import type { Level, Reason } from "./rules";

export interface OpenIncident {
  id: number;
  reason: string;
}

export type IncidentStep =
  | { kind: "open"; reason: string; reasons: Reason[] }
  | { kind: "update"; id: number; reasons: Reason[] }
  | { kind: "close"; id: number }
  | { kind: "none" };

/**
 * What a service's new level does to its incident. An incident opens on the first RED and closes
 * only when the service is GREEN again. AMBER or UNKNOWN while one is open keep it open (the
 * problem is not gone, and the board must not lose who acknowledged it); AMBER alone never opens one.
 * While open, its reasons follow the latest verdict.
 */
export function incidentStep(open: OpenIncident | null, level: Level, reasons: Reason[]): IncidentStep {
  if (!open) return level === "RED" ? { kind: "open", reason: headline(reasons), reasons } : { kind: "none" };
  if (level === "GREEN") return { kind: "close", id: open.id };
  return { kind: "update", id: open.id, reasons };
}

/** The first red reason, and how many more there are. */
export function headline(reasons: Reason[]): string {
  const red = reasons.filter((r) => r.level === "RED");
  const first = red[0] ?? reasons[0];
  if (!first) return "red";
  const more = red.length - 1;
  return more > 0 ? `${first.message} (+${more} more)` : first.message;
}
