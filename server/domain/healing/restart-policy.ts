/**
 * What the reconciler does about one process that should run (desired RUNNING, not in
 * maintenance), from what it observed this round. Pure: the reconciler gathers the facts.
 */
export interface ProcessFacts {
  /** accepts connections now */
  answering: boolean;
  /** its host answers Hedwig's probe (null when not asked: the process answers) */
  hostReachable: boolean | null;
  /** another job works on it (an operation on its service, a restart already queued) */
  busy: boolean;
  /** automatic restarts within the last hour */
  restartsLastHour: number;
  /** already escalated: Hedwig stopped restarting it */
  held: boolean;
  /**
   * a Redis master with replicas: a replica is promoted instead (Sentinel, or a failover). Started
   * again at once, a master without persistence would come back empty and its replicas would copy
   * the empty data set; once the catalogue names it a replica it is restarted like any other.
   */
  awaitsFailover?: boolean;
}

export type Decision =
  | { kind: "none"; why: "answering" | "host_unreachable" | "busy" | "held" | "awaits_failover" }
  | { kind: "restart"; attempt: number }
  | { kind: "escalate"; restarts: number }
  /** it answers again after Hedwig gave up on it: restarts resume */
  | { kind: "release" };

export function decide(f: ProcessFacts, maxRestartsPerHour: number): Decision {
  if (f.answering) return f.held ? { kind: "release" } : { kind: "none", why: "answering" };
  // a host that does not answer is a host incident: restarting on it cannot work
  if (f.hostReachable === false) return { kind: "none", why: "host_unreachable" };
  if (f.awaitsFailover) return { kind: "none", why: "awaits_failover" };
  if (f.busy) return { kind: "none", why: "busy" };
  if (f.held) return { kind: "none", why: "held" };
  if (f.restartsLastHour >= maxRestartsPerHour) return { kind: "escalate", restarts: f.restartsLastHour };
  return { kind: "restart", attempt: f.restartsLastHour + 1 };
}
