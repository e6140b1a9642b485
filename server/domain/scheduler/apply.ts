import { text } from "../../../lib/text";
import { badInput } from "../errors";
import { buildSnapshot, type ClusterSnapshot } from "./snapshot";
import type { HostInput, Spec } from "./types";
import { RESOURCES, toUnits } from "./units";

/**
 * The snapshot once a placement is locked: each copy's resources, product line, service and port
 * taken on its host. Copy-on-write (the input stays valid for readers holding it), and a few
 * milliseconds on 10,000 hosts where a rebuild from the database takes a hundred.
 */
export function withPlacement(
  s: ClusterSnapshot,
  copies: readonly { hostId: number; port: number }[],
  spec: Spec,
  productLineId: number,
  serviceId: number | null,
): ClusterSnapshot {
  const used = s.used.map((a) => Float64Array.from(a));
  const free = s.free.map((a) => Float64Array.from(a));
  const measuredFree = s.measuredFree.map((a) => Float64Array.from(a)) as [Float64Array, Float64Array];
  const productLineCount = Int32Array.from(s.productLineCount);
  const soleProductLine = Int32Array.from(s.soleProductLine);
  const usedPorts = [...s.usedPorts];
  const addedToService = new Map<number, number>();
  const units = RESOURCES.map((_, r) => toUnits(spec, r));
  for (const c of copies) {
    const i = s.indexOf.get(c.hostId);
    if (i === undefined) throw badInput(text("refusals.scheduler.notInSnapshot", { id: c.hostId }));
    units.forEach((u, r) => {
      used[r]![i]! += u;
      free[r]![i]! -= u;
    });
    // a copy will fill the disk and the link it was placed against
    measuredFree[0][i]! -= units[2]!;
    measuredFree[1][i]! -= units[3]!;
    // Only "none", "exactly this one" and "several" matter to the isolation rules.
    if (productLineCount[i] === 0) {
      productLineCount[i] = 1;
      soleProductLine[i] = productLineId;
    } else if (productLineCount[i] === 1 && soleProductLine[i] !== productLineId) {
      productLineCount[i] = 2;
      soleProductLine[i] = -1;
    }
    usedPorts[i] = [...usedPorts[i]!, c.port];
    addedToService.set(i, (addedToService.get(i) ?? 0) + 1);
  }
  const services = new Map(s.services);
  if (serviceId !== null) {
    const counts = new Map<number, number>();
    const before = s.services.get(serviceId);
    before?.hosts.forEach((h, k) => counts.set(h, before.counts[k]!));
    for (const [h, n] of addedToService) counts.set(h, (counts.get(h) ?? 0) + n);
    const hosts = [...counts.keys()].sort((a, b) => a - b);
    services.set(serviceId, { hosts: Int32Array.from(hosts), counts: Int32Array.from(hosts.map((h) => counts.get(h)!)) });
  }
  return { ...s, used, free, measuredFree, productLineCount, soleProductLine, usedPorts, services };
}

/**
 * The snapshot with some hosts' usage re-read (after a release: their resources, product lines,
 * services and ports as the database now has them), copy-on-write like `withPlacement`. Null when
 * a host is not in the snapshot or its figures would now be skipped: then the caller rebuilds.
 */
export function withHosts(s: ClusterSnapshot, hosts: readonly HostInput[]): ClusterSnapshot | null {
  const used = s.used.map((a) => Float64Array.from(a));
  const free = s.free.map((a) => Float64Array.from(a));
  const productLineCount = Int32Array.from(s.productLineCount);
  const soleProductLine = Int32Array.from(s.soleProductLine);
  const usedPorts = [...s.usedPorts];
  const touched = new Map<number, Record<number, number>>();
  for (const h of hosts) {
    const i = s.indexOf.get(h.id);
    if (i === undefined || buildSnapshot([h]).skipped.length) return null;
    RESOURCES.forEach((_, r) => {
      const u = toUnits(h.used, r);
      used[r]![i] = u;
      free[r]![i] = s.capacity[r]![i]! - u;
    });
    const lines = new Set(h.productLineIds);
    productLineCount[i] = lines.size;
    soleProductLine[i] = lines.size === 1 ? h.productLineIds[0]! : -1;
    usedPorts[i] = h.usedPorts;
    touched.set(i, h.serviceCounts);
  }
  // every service on a touched host, before or after: its per-host counts re-read there
  const services = new Map(s.services);
  const ids = new Set<number>();
  for (const [id, e] of s.services) if (e.hosts.some((i) => touched.has(i))) ids.add(id);
  for (const counts of touched.values()) for (const id of Object.keys(counts)) ids.add(Number(id));
  for (const id of ids) {
    const counts = new Map<number, number>();
    const before = s.services.get(id);
    before?.hosts.forEach((i, k) => {
      if (!touched.has(i)) counts.set(i, before.counts[k]!);
    });
    for (const [i, c] of touched) if ((c[id] ?? 0) > 0) counts.set(i, c[id]!);
    const order = [...counts.keys()].sort((a, b) => a - b);
    if (order.length) services.set(id, { hosts: Int32Array.from(order), counts: Int32Array.from(order.map((i) => counts.get(i)!)) });
    else services.delete(id);
  }
  return { ...s, used, free, productLineCount, soleProductLine, usedPorts, services };
}
