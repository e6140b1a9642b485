import { buildContinuum, dispatch, ketamaRouter, type KetamaServer } from "./ketama";

/** A shard as nutcracker.yml lists it: the name places its keys. */
export type Shard = KetamaServer & { name: string };

/**
 * Per old shard, the share of the hash space (0–1) it owns, the share that changes owner between
 * two layouts, and to whom. Ketama keeps every other point where it is, so on a grow only the new shards receive keys
 * and on a shrink only the leaving shards give them: the shards with nothing to give are not scanned.
 */
export function movingShares(from: Shard[], to: Shard[]): { source: string; owned: number; share: number; to: Record<string, number> }[] {
  const a = buildContinuum(from);
  const b = buildContinuum(to);
  // segment boundaries of both rings: within a segment both owners are constant
  const bounds = [...new Set([...a.values, ...b.values])].sort((x, y) => x - y);
  const out = new Map(from.map((s) => [s.name, { source: s.name, owned: 0, share: 0, to: {} as Record<string, number> }]));
  const SPACE = 2 ** 32;
  for (let i = 0; i < bounds.length; i++) {
    // hashes in (previous bound, this bound] go to this bound's point; the first segment wraps
    const hi = bounds[i]!;
    const lo = i === 0 ? bounds[bounds.length - 1]! - SPACE : bounds[i - 1]!;
    const width = (hi - lo) / SPACE;
    const src = from[dispatch(a, hi)]!.name;
    const dst = to[dispatch(b, hi)]!.name;
    const row = out.get(src)!;
    row.owned += width;
    if (src === dst) continue;
    row.share += width;
    row.to[dst] = (row.to[dst] ?? 0) + width;
  }
  return [...out.values()];
}

/** The owner's name of a key under a layout. */
export function ownerByName(layout: Shard[]): (key: Uint8Array) => string {
  const route = ketamaRouter(layout);
  return (key) => layout[route(key)]!.name;
}

/**
 * The layout after a resize: shards keep their names (a kept name keeps its keys); new shards take
 * the next indexes, and a shrink retires the highest ones, so names stay `<service>-0 … -(n-1)`.
 */
export function resizedNames(service: string, from: number, to: number): { kept: string[]; added: string[]; retired: string[] } {
  const name = (i: number) => `${service}-${i}`;
  const range = (a: number, b: number) => Array.from({ length: Math.max(0, b - a) }, (_, i) => name(a + i));
  return { kept: range(0, Math.min(from, to)), added: range(from, to), retired: range(to, from) };
}
