/**
 * Spreading instances over collector workers without a coordinator: rendezvous (highest random
 * weight) hashing. Every worker sees the same list of live workers (CollectorWorker rows) and
 * computes the same owner for every instance; when a worker comes or goes only its share moves.
 * No lock is held per instance or partition, so a worker that dies leaves nothing to clean up: its
 * row stops being refreshed and its instances are picked up once it counts as dead.
 */

/** FNV-1a, 32 bits: cheap, and spreads short strings well enough for weights. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // final avalanche so that ids differing in one digit do not get neighbouring weights
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

export function ownerOf(instanceId: number, workers: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestWeight = -1;
  for (const w of workers) {
    const weight = fnv1a(`${w}/${instanceId}`);
    if (weight > bestWeight || (weight === bestWeight && best !== undefined && w < best)) {
      best = w;
      bestWeight = weight;
    }
  }
  return best;
}

export type LiveWorker = { id: string; startedAt: Date };

/** The oldest live worker also runs the fleet-wide work (health, rollups, retention, host probes). */
export function leaderOf(workers: readonly LiveWorker[]): string | undefined {
  return [...workers].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime() || a.id.localeCompare(b.id))[0]?.id;
}
