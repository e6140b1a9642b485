import { describe, expect, it } from "vitest";
import { planRoleChanges, type CatalogueRow, type Observed } from "./role-changes";

// shard 0: 1 master, 2 and 3 its replicas; shard 1: 4 master, 5 replica
const rows: CatalogueRow[] = [
  { id: 1, role: "MASTER", masterId: null, ip: "127.0.101.1", port: 6379 },
  { id: 2, role: "REPLICA", masterId: 1, ip: "127.0.101.2", port: 6379 },
  { id: 3, role: "REPLICA", masterId: 1, ip: "127.0.101.3", port: 6379 },
  { id: 4, role: "MASTER", masterId: null, ip: "127.0.101.1", port: 6380 },
  { id: 5, role: "REPLICA", masterId: 4, ip: "127.0.101.2", port: 6380 },
];
const master: Observed = { up: true, role: "master" };
const down: Observed = { up: false };
const replicaOf = (ip: string, port: number): Observed => ({ up: true, role: "slave", masterHost: ip, masterPort: port });
const healthy = new Map<number, Observed>([
  [1, master],
  [2, replicaOf("127.0.101.1", 6379)],
  [3, replicaOf("127.0.101.1", 6379)],
  [4, master],
  [5, replicaOf("127.0.101.1", 6380)],
]);

describe("planRoleChanges", () => {
  it("changes nothing when the answers agree with the catalogue", () => {
    expect(planRoleChanges(rows, healthy)).toEqual([]);
    expect(planRoleChanges(rows, new Map())).toEqual([]);
  });

  it("records Sentinel's promotion at once: the dead master becomes a replica of the new one, and so does a sibling that does not answer", () => {
    const seen = new Map(healthy).set(1, down).set(2, master).set(3, down);
    expect(planRoleChanges(rows, seen)).toEqual([
      { id: 1, role: "REPLICA", masterId: 2, why: "demoted" },
      { id: 2, role: "MASTER", masterId: null, why: "promoted" },
      { id: 3, role: "REPLICA", masterId: 2, why: "follows" },
    ]);
  });

  it("lets a sibling that answers follow its own answer (still on the dead master until Sentinel repoints it)", () => {
    const seen = new Map(healthy).set(1, down).set(2, master);
    expect(planRoleChanges(rows, seen)).toEqual([
      { id: 1, role: "REPLICA", masterId: 2, why: "demoted" },
      { id: 2, role: "MASTER", masterId: null, why: "promoted" },
    ]);
  });

  it("does not promote an old master restarted as a master while the new one still answers as master", () => {
    const after: CatalogueRow[] = rows.map((r) =>
      r.id === 1 ? { ...r, role: "REPLICA", masterId: 2 } : r.id === 2 ? { ...r, role: "MASTER", masterId: null } : r,
    );
    const seen = new Map(healthy).set(1, master).set(2, master).set(3, replicaOf("127.0.101.2", 6379));
    expect(planRoleChanges(after, seen)).toEqual([{ id: 3, role: "REPLICA", masterId: 2, why: "follows" }]);
    // once Sentinel converted it, nothing is left to change
    seen.set(1, replicaOf("127.0.101.2", 6379));
    expect(
      planRoleChanges(
        after.map((r) => (r.id === 3 ? { ...r, masterId: 2 } : r)),
        seen,
      ),
    ).toEqual([]);
  });

  it("follows a DBA's failover by hand on a live old master once it answers as a replica", () => {
    const seen = new Map(healthy).set(1, replicaOf("127.0.101.2", 6379)).set(2, master).set(3, replicaOf("127.0.101.2", 6379));
    expect(planRoleChanges(rows, seen)).toEqual([
      { id: 1, role: "REPLICA", masterId: 2, why: "demoted" },
      { id: 2, role: "MASTER", masterId: null, why: "promoted" },
      { id: 3, role: "REPLICA", masterId: 2, why: "follows" },
    ]);
  });

  it("ignores a replica of an address outside the service, and leaves other shards alone", () => {
    const seen = new Map(healthy).set(5, replicaOf("10.9.9.9", 6380));
    expect(planRoleChanges(rows, seen)).toEqual([]);
  });
});
