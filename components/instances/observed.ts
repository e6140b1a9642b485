import { STALE_MS } from "@/server/domain/healing/observed";

export { STALE_MS };

/**
 * Desired apart from observed, as Kubernetes keeps spec and status: what a DBA asked for (the row's
 * state and maintenance window) and what Hedwig saw (the collector's InstanceHealth). Pure, so the
 * pages agree and a dead process never reads "running".
 */
export type InstanceFacts = {
  state: string;
  maintenanceUntil: Date | null;
  maintenanceNote?: string | null;
  health?: { downSince: Date | null; lastUpAt: Date | null; checkedAt: Date } | null;
  restartHold?: { since: Date; code: string; params: unknown } | null;
};

export type Observed =
  /** answered the latest poll */
  | { kind: "up" }
  /** every poll since then failed */
  | { kind: "down"; since: Date }
  /** no recent poll (not polled yet, the collector behind): last answer if any */
  | { kind: "unknown"; lastUpAt: Date | null }
  /** a catalogue row: no process of Hedwig's to watch */
  | { kind: "catalogued" };

export type Desired = { kind: "running" | "stopped" | "deploying" | "failed" | "catalogued"; maintenanceUntil: Date | null; note: string | null };

export function observedOf(i: InstanceFacts, now: Date): Observed {
  if (i.state === "UNKNOWN") return { kind: "catalogued" };
  const h = i.health;
  if (!h) return { kind: "unknown", lastUpAt: null };
  if (now.getTime() - h.checkedAt.getTime() > STALE_MS) return { kind: "unknown", lastUpAt: h.lastUpAt };
  if (h.downSince) return { kind: "down", since: h.downSince };
  if (h.lastUpAt && h.checkedAt.getTime() - h.lastUpAt.getTime() <= STALE_MS) return { kind: "up" };
  return { kind: "unknown", lastUpAt: h.lastUpAt };
}

export function desiredOf(i: InstanceFacts, now: Date): Desired {
  const open = i.maintenanceUntil !== null && i.maintenanceUntil > now;
  const base = { maintenanceUntil: open ? i.maintenanceUntil : null, note: open ? (i.maintenanceNote ?? null) : null };
  switch (i.state) {
    case "RUNNING":
      return { kind: "running", ...base };
    case "STOPPED":
      return { kind: "stopped", ...base };
    case "DEPLOYING":
      return { kind: "deploying", ...base };
    case "FAILED":
      return { kind: "failed", ...base };
    default:
      return { kind: "catalogued", maintenanceUntil: null, note: null };
  }
}

/** Whether what is seen differs from what was asked (a down instance that should run, an up one that should not). */
export function drifts(o: Observed, d: Desired): boolean {
  return (d.kind === "running" && o.kind === "down") || (d.kind === "stopped" && o.kind === "up");
}
