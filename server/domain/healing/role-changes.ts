/**
 * What the catalogue must change so that its roles say what the Redis instances themselves report
 * (INFO replication), whoever moved them: Sentinel, Hedwig's failover, or a DBA with redis-cli.
 * Pure: the collector's hook loads the rows and applies the answer.
 */

export interface CatalogueRow {
  id: number;
  role: "MASTER" | "REPLICA";
  masterId: number | null;
  ip: string;
  port: number;
}

/** An instance's last answer: up with its role (and a replica's master address), or down. */
export type Observed = { up: false } | { up: true; role: "master" } | { up: true; role: "slave"; masterHost: string; masterPort: number };

export interface RoleChange {
  id: number;
  role: "MASTER" | "REPLICA";
  masterId: number | null;
  /** why, for the operator log: promoted (it answers as a master), demoted (its replica took over), follows (it replicates another) */
  why: "promoted" | "demoted" | "follows";
}

/**
 * The changes for one service's Redis instances. An instance that answers follows its own answer,
 * with one exception: a replica that answers as a master while its catalogued master still answers
 * as one too is not promoted. That is an old master restarted from its own config for the second
 * before Sentinel converts it (or a split a DBA made): the catalogue keeps the master it had until
 * one of the two answers as a replica. A master whose replica took over, and that no longer answers
 * as a master, is written down as a replica of the new master (what Sentinel makes of it when it
 * comes back), and so are its other replicas that do not answer, until they answer for themselves.
 */
export function planRoleChanges(rows: CatalogueRow[], observed: ReadonlyMap<number, Observed>): RoleChange[] {
  const next = new Map(rows.map((r) => [r.id, { role: r.role, masterId: r.masterId }]));
  const why = new Map<number, RoleChange["why"]>();
  const byAddress = new Map(rows.map((r) => [`${r.ip}:${r.port}`, r.id]));
  const answersAsMaster = (id: number) => {
    const o = observed.get(id);
    return o?.up === true && o.role === "master";
  };
  const set = (id: number, role: RoleChange["role"], masterId: number | null, reason: RoleChange["why"]) => {
    next.set(id, { role, masterId });
    why.set(id, reason);
  };

  for (const r of rows) {
    const o = observed.get(r.id);
    if (!o?.up || o.role !== "master" || r.role === "MASTER") continue;
    const old = r.masterId === null ? undefined : rows.find((x) => x.id === r.masterId);
    if (old && answersAsMaster(old.id)) continue;
    set(r.id, "MASTER", null, "promoted");
    if (old && old.role === "MASTER") {
      set(old.id, "REPLICA", r.id, "demoted");
      for (const sibling of rows)
        if (sibling.masterId === old.id && sibling.id !== r.id && !observed.get(sibling.id)?.up) set(sibling.id, "REPLICA", r.id, "follows");
    }
  }
  for (const r of rows) {
    const o = observed.get(r.id);
    if (!o?.up || o.role !== "slave") continue;
    const masterId = byAddress.get(`${o.masterHost}:${o.masterPort}`);
    // a master outside the service is not Hedwig's to record; the health rules show the broken link
    if (masterId === undefined || masterId === r.id) continue;
    const planned = next.get(r.id)!;
    if (planned.role === "REPLICA" && planned.masterId === masterId) continue;
    set(r.id, "REPLICA", masterId, "follows");
  }

  return rows
    .filter((r) => {
      const n = next.get(r.id)!;
      return n.role !== r.role || n.masterId !== r.masterId;
    })
    .map((r) => ({ id: r.id, ...next.get(r.id)!, why: why.get(r.id)! }));
}
