import { text } from "../../../lib/text";
import { badInput } from "../errors";
import type { PlacedCopy, PortRange } from "./types";

export interface PortAssignment {
  /** by shard index: the one port all copies of that shard listen on */
  ports: number[];
  /** the range's cursor after this assignment, to store back */
  next: number;
}

/**
 * Gives each shard the first port at or after the cursor (wrapping to `start` once past `end`)
 * that is free on every host of the shard, so a master and its replicas share one port. The
 * cursor moves past each port given: numbers keep increasing across requests and a released
 * port is not reused until the range wraps.
 */
export function assignPorts(
  items: readonly Pick<PlacedCopy, "shardIndex" | "hostId" | "ip">[],
  usedPorts: ReadonlyMap<number, Iterable<number>>,
  range: PortRange,
  software: string,
): PortAssignment {
  const { start, end } = range;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 1 || end > 65535 || start > end) {
    throw badInput(text("refusals.scheduler.badRange", { start, end, software }));
  }
  const shards: { hostId: number; ip: string }[][] = [];
  for (const it of items) (shards[it.shardIndex] ??= []).push(it);
  const taken = new Map<number, Set<number>>();
  for (const it of items) {
    if (taken.has(it.hostId)) continue;
    const used = usedPorts.get(it.hostId);
    if (!used) throw badInput(text("refusals.scheduler.usedPortsMissing", { ip: it.ip }));
    taken.set(it.hostId, new Set(used)); // a copy: ports given here are added to it
  }

  const span = end - start + 1;
  let cursor = range.next >= start && range.next <= end ? range.next : start;
  const ports: number[] = [];
  for (let shard = 0; shard < shards.length; shard++) {
    const copies = shards[shard];
    if (!copies) throw badInput(text("refusals.scheduler.shardGap", { shard }));
    const sets = copies.map((c) => taken.get(c.hostId)!);
    let port = -1;
    for (let i = 0; i < span && port < 0; i++) {
      const p = start + ((cursor - start + i) % span);
      if (sets.every((set) => !set.has(p))) port = p;
    }
    if (port < 0) {
      const ips = [...new Set(copies.map((c) => c.ip))].join(", ");
      throw badInput(text("refusals.scheduler.rangeFull", { start, end, software, ips }));
    }
    for (const set of sets) set.add(port);
    ports.push(port);
    cursor = port === end ? start : port + 1;
  }
  return { ports, next: cursor };
}
