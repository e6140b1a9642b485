/**
 * The topology graph of a service, as columns: product lines → proxy tier → shards (masters or
 * cache nodes) → replicas, with Sentinels beside the masters they watch. Pure: positions are laid
 * out here so the chart draws the same picture every time.
 */

export type TopologyInstance = { id: number; role: string; shardIndex: number | null; masterId: number | null; address: string; up: boolean };
export type TopologyNode = {
  id: string;
  name: string;
  category: "productLine" | "proxy" | "shard" | "replica" | "sentinel";
  x: number;
  y: number;
  up: boolean;
};
export type TopologyLink = { source: string; target: string };
export type Topology = { nodes: TopologyNode[]; links: TopologyLink[] };

const COLUMN_X = { productLine: 0, proxy: 1, shard: 2, replica: 3, sentinel: 3 } as const;
const ROW = 60;

export function buildTopology(lines: { id: number; code: string }[], instances: TopologyInstance[]): Topology {
  const byShard = (a: TopologyInstance, b: TopologyInstance) => (a.shardIndex ?? 0) - (b.shardIndex ?? 0) || a.address.localeCompare(b.address);
  const proxies = instances.filter((i) => i.role === "PROXY").sort(byShard);
  const shards = instances.filter((i) => i.role === "MASTER" || i.role === "CACHE").sort(byShard);
  const replicas = instances.filter((i) => i.role === "REPLICA").sort(byShard);
  const sentinels = instances.filter((i) => i.role === "SENTINEL").sort(byShard);
  const nodes: TopologyNode[] = [];
  const links: TopologyLink[] = [];
  const column = (category: TopologyNode["category"], items: { id: string; name: string; up: boolean }[], offset = 0) =>
    items.forEach((it, row) => nodes.push({ ...it, category, x: COLUMN_X[category] * 260, y: (offset + row) * ROW }));
  const inst = (i: TopologyInstance) => ({ id: `i${i.id}`, name: i.shardIndex === null ? i.address : `#${i.shardIndex} ${i.address}`, up: i.up });

  column(
    "productLine",
    lines.map((l) => ({ id: `pl${l.id}`, name: l.code, up: true })),
  );
  column("proxy", proxies.map(inst));
  column("shard", shards.map(inst));
  column("replica", replicas.map(inst));
  column("sentinel", sentinels.map(inst), replicas.length + (replicas.length ? 1 : 0));

  const front = proxies.length ? proxies : shards;
  for (const l of lines) for (const f of front) links.push({ source: `pl${l.id}`, target: `i${f.id}` });
  if (proxies.length) for (const p of proxies) for (const s of shards) links.push({ source: `i${p.id}`, target: `i${s.id}` });
  for (const r of replicas) {
    const master = shards.find((s) => s.id === r.masterId) ?? shards.find((s) => s.shardIndex !== null && s.shardIndex === r.shardIndex);
    if (master) links.push({ source: `i${master.id}`, target: `i${r.id}` });
  }
  for (const s of sentinels) for (const m of shards) links.push({ source: `i${s.id}`, target: `i${m.id}` });
  return { nodes, links };
}
