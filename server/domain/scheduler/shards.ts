import type { ClusterSnapshot } from "./snapshot";
import type { AntiAffinityLevel } from "./types";

/**
 * A shard's copies go to distinct domains: hosts, racks or IDCs. Racks sit in one IDC, so the
 * strictest level implies the others (different racks are different hosts).
 */
export function domainsOf(s: ClusterSnapshot, level: AntiAffinityLevel): { of: Int32Array; count: number; idcOf: (d: number) => number } {
  switch (level) {
    case "host":
      return { of: s.selfOf, count: s.size, idcOf: (d) => s.idcOf[d]! };
    case "rack":
      return { of: s.rackOf, count: s.rackIds.length, idcOf: (d) => s.rackIdc[d]! };
    case "idc":
      return { of: s.idcOf, count: s.idcIds.length, idcOf: (d) => d };
  }
}

/**
 * The most shards of `replicas` copies that fit when each domain d can take c_d copies and gives a
 * shard at most one. k shards fit iff Σ_d min(c_d, k) ≥ k·replicas (a domain serves at most k of
 * them; the condition is also enough), and that is monotone in k, so binary search.
 */
export function maxShards(caps: ArrayLike<number>, replicas: number): number {
  let total = 0;
  let nonEmpty = 0;
  for (let d = 0; d < caps.length; d++) {
    total += caps[d]!;
    if (caps[d]! > 0) nonEmpty++;
  }
  if (nonEmpty < replicas) return 0;
  const fits = (k: number) => {
    const need = k * replicas;
    let sum = 0;
    for (let d = 0; d < caps.length; d++) {
      sum += caps[d]! < k ? caps[d]! : k;
      if (sum >= need) return true;
    }
    return false;
  };
  let lo = 0;
  let hi = Math.floor(total / replicas);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Keeps "the shards still to place can all be placed" true while placement picks copies by score.
 * With k shards left and slack = Σ min(c_d, k) − k·R, placing one shard on a set S of R domains
 * leaves k − 1 shards feasible iff at most `slack` of the domains with c_d ≥ k ("saturated": they
 * must serve every remaining shard) are left out of S. So each shard must use at least
 * saturated − slack of them. The sums are kept incrementally, so checking costs O(1) per copy.
 */
export class ShardBudget {
  /** shards left, the current one included */
  k: number;
  /** domains with c_d ≥ k */
  private saturated = 0;
  /** Σ c_d over the domains with c_d < k */
  private below = 0;
  /** hist[v] = domains with min(c_d, shards) = v; tells which domains saturate as k falls */
  private readonly hist: Int32Array;

  constructor(
    readonly cap: Float64Array,
    private readonly shards: number,
    private readonly replicas: number,
  ) {
    this.k = shards;
    this.hist = new Int32Array(shards + 1);
    for (const c of cap) {
      this.hist[Math.min(c, shards)]!++;
      if (c >= shards) this.saturated++;
      else this.below += c;
    }
  }

  /** How many saturated domains the current shard must use. */
  forcedPicks(): number {
    const slack = this.below + this.k * this.saturated - this.k * this.replicas;
    return Math.max(0, this.saturated - slack);
  }

  /** One copy of the current shard went to domain d. */
  take(d: number): void {
    const v = this.cap[d]!;
    this.cap[d] = v - 1;
    this.hist[Math.min(v, this.shards)]!--;
    this.hist[Math.min(v - 1, this.shards)]!++;
    if (v === this.k) {
      this.saturated--;
      this.below += v - 1;
    } else if (v < this.k) this.below--;
  }

  /** The current shard is complete: domains with exactly k − 1 left become saturated. */
  nextShard(): void {
    this.k--;
    const now = this.hist[this.k]!;
    this.saturated += now;
    this.below -= this.k * now;
  }
}
