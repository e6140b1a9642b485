import { joinTexts, text, type Text } from "../../../lib/text";
import { badInput } from "../errors";
import { evaluateSpec } from "./inventory";
import { checkConstraints, checkSpec, type CheckedConstraints } from "./query";
import { DEFAULT_SCHEDULER_SETTINGS, type SchedulerSettings } from "./settings";
import { domainsOf, ShardBudget } from "./shards";
import type { ClusterSnapshot } from "./snapshot";
import type { InventoryResult, PlacedCopy, PlacementPlan, PlacementRequest } from "./types";

/**
 * Places `shards` × `replicas` copies, or throws saying why not; never a partial plan. Pure and
 * deterministic (ties go to the lower host id), so a dry run returns what the real call will.
 *
 * Each copy goes to the best-scored host among the domains the shard has not used yet. Hosts sit
 * in one max-heap per domain and the domains in a heap keyed by their best host, so a copy costs
 * O(log) instead of a scan. A ShardBudget forces a shard onto the domains every remaining shard
 * needs when scoring alone would strand them, so whatever the inventory counts can be placed.
 */
export function placeShards(s: ClusterSnapshot, req: PlacementRequest, settings: SchedulerSettings = DEFAULT_SCHEDULER_SETTINGS): PlacementPlan {
  const c = checkConstraints(req, settings);
  const spec = checkSpec(req.spec);
  const N = req.shards;
  const R = c.replicas;
  if (!Number.isInteger(N) || N < 1) throw badInput(text("refusals.scheduler.shardCount", { n: N }));
  if (req.strategy !== "spread" && req.strategy !== "concentrate") {
    throw badInput(text("refusals.scheduler.strategy", { strategy: String(req.strategy) }));
  }
  const { fit, inventory } = evaluateSpec(s, c, req.spec, spec, settings);
  if (inventory.shards < N) throw badInput(shortfall(inventory, N, c));

  const room = fit.room; // ours to consume: evaluateSpec made it for this call
  const placed = new Int32Array(s.size);
  const preferredIdc = req.preferredIdcId == null ? -1 : s.idcIds.indexOf(req.preferredIdcId);
  const w = settings.weights;
  const spread = req.strategy === "spread";
  const score = new Float64Array(s.size);
  // Share of each dimension in use once one more copy lands; dimensions a host lacks are skipped.
  const scoreOf = (h: number): number => {
    let sum = 0;
    let squares = 0;
    let dims = 0;
    for (let r = 0; r < spec.length; r++) {
      const cap = s.capacity[r]![h]!;
      if (cap <= 0) continue;
      const u = (s.used[r]![h]! + (placed[h]! + 1) * spec[r]!) / cap;
      sum += u;
      squares += u * u;
      dims++;
    }
    const mean = dims ? sum / dims : 0;
    const spreadOfUse = dims ? Math.sqrt(Math.max(0, squares / dims - mean * mean)) : 0;
    return (
      (spread ? w.leastAllocated * (1 - mean) : w.mostAllocated * mean) + w.balanced * (1 - spreadOfUse) + (s.idcOf[h] === preferredIdc ? w.preferredIdc : 0)
    );
  };
  const better = (a: number, b: number) => score[a]! > score[b]! || (score[a] === score[b] && a < b);

  // Hosts with room, grouped by domain (counting sort keeps host order inside a domain).
  const domains = domainsOf(s, c.antiAffinity);
  const D = domains.count;
  const cap = new Float64Array(D);
  const start = new Int32Array(D + 1);
  for (let h = 0; h < s.size; h++) {
    if (room[h]! > 0) {
      cap[domains.of[h]!]! += room[h]!;
      start[domains.of[h]! + 1]!++;
      score[h] = scoreOf(h);
    }
  }
  for (let d = 0; d < D; d++) start[d + 1]! += start[d]!;
  const size = new Int32Array(D);
  const hostHeap = new Int32Array(start[D]!);
  for (let h = 0; h < s.size; h++) {
    if (room[h]! > 0) {
      const d = domains.of[h]!;
      hostHeap[start[d]! + size[d]!++] = h;
    }
  }
  const siftHost = (d: number, i: number) => {
    const base = start[d]!;
    const n = size[d]!;
    const x = hostHeap[base + i]!;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && better(hostHeap[base + child + 1]!, hostHeap[base + child]!)) child++;
      if (!better(hostHeap[base + child]!, x)) break;
      hostHeap[base + i] = hostHeap[base + child]!;
      i = child;
    }
    hostHeap[base + i] = x;
  };
  for (let d = 0; d < D; d++) for (let i = (size[d]! >> 1) - 1; i >= 0; i--) siftHost(d, i);
  const top = (d: number) => hostHeap[start[d]!]!;

  // Domains with room, keyed by their best host; pos[d] = -1 when out of the heap.
  const heap = new Int32Array(D);
  const pos = new Int32Array(D).fill(-1);
  let heapSize = 0;
  const betterDomain = (a: number, b: number) => better(top(a), top(b));
  const place = (i: number, d: number) => {
    heap[i] = d;
    pos[d] = i;
  };
  const siftUp = (i: number) => {
    const d = heap[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!betterDomain(d, heap[parent]!)) break;
      place(i, heap[parent]!);
      i = parent;
    }
    place(i, d);
  };
  const siftDown = (i: number) => {
    const d = heap[i]!;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= heapSize) break;
      if (child + 1 < heapSize && betterDomain(heap[child + 1]!, heap[child]!)) child++;
      if (!betterDomain(heap[child]!, d)) break;
      place(i, heap[child]!);
      i = child;
    }
    place(i, d);
  };
  const push = (d: number) => {
    place(heapSize++, d);
    siftUp(heapSize - 1);
  };
  const remove = (d: number) => {
    const i = pos[d]!;
    pos[d] = -1;
    const last = heap[--heapSize]!;
    if (i === heapSize) return;
    place(i, last);
    siftUp(i);
    siftDown(pos[last]!);
  };
  for (let d = 0; d < D; d++) if (cap[d]! > 0) push(d);

  const budget = new ShardBudget(cap, N, R);
  const chosen = new Int32Array(R);
  const items: PlacedCopy[] = [];
  for (let shard = 0; shard < N; shard++) {
    let forced = budget.forcedPicks();
    for (let j = 0; j < R; j++) {
      let d = heap[0]!;
      if (forced >= R - j) {
        // Only saturated domains will do now: take the best of them.
        d = -1;
        for (let i = 0; i < heapSize; i++) {
          const e = heap[i]!;
          if (cap[e]! >= budget.k && (d < 0 || betterDomain(e, d))) d = e;
        }
      }
      if (heapSize === 0 || d < 0) throw new Error("scheduler invariant broken: no domain left for a counted shard");
      if (forced > 0 && cap[d]! >= budget.k) forced--;
      remove(d);
      chosen[j] = d;
      const h = top(d);
      items.push({
        shardIndex: shard,
        replicaIndex: j,
        role: req.role ?? (j === 0 ? "MASTER" : "REPLICA"),
        hostId: s.hostId[h]!,
        ip: s.ip[h]!,
        rackId: s.rackIds[s.rackOf[h]!]!,
        idcId: s.idcIds[s.idcOf[h]!]!,
      });
      placed[h]!++;
      budget.take(d);
      if (--room[h]! === 0) {
        hostHeap[start[d]!] = hostHeap[start[d]! + --size[d]!]!;
      } else {
        score[h] = scoreOf(h);
      }
      if (size[d]! > 0) siftHost(d, 0);
    }
    for (let j = 0; j < R; j++) if (cap[chosen[j]!]! > 0) push(chosen[j]!);
    budget.nextShard();
  }
  return { shards: N, replicas: R, antiAffinity: c.antiAffinity, items };
}

/** Why N shards do not fit, in words that point at what to change. */
function shortfall(inv: InventoryResult, N: number, c: CheckedConstraints): Text {
  const R = c.replicas;
  const head = inv.shards === 0 ? text("refusals.scheduler.noShard", { replicas: R }) : text("refusals.scheduler.someShards", { fit: inv.shards, wanted: N });
  const parts: Text[] = [];
  if (inv.instances < N * R) parts.push(text("refusals.scheduler.copiesFit", { fit: inv.instances, needed: N * R, summary: inv.summary }));
  if (R > 1 && (inv.domainsWithRoom < R || inv.instances >= N * R)) {
    const apart = { level: c.antiAffinity, importance: c.importance, m: inv.domainsWithRoom };
    parts.push(text(inv.domainsWithRoom < R ? "refusals.scheduler.apartFew" : "refusals.scheduler.apartSkewed", apart));
  }
  return text("refusals.scheduler.shortfall", { head, parts: joinTexts(parts) });
}
