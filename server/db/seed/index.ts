import { insertDemoHostHealth } from "../../domain/hosthealth/demo-history";
import { hashPassword } from "../../auth/password";
import type { Db, DbTx } from "../client";
import { DEMO_RACKS_PER_IDC, DEMO_USERS, IDCS, PRODUCT_LINES } from "./catalog";
import { ensureSettingsAndRanges } from "./defaults";
import { ensureIdcsAndRacks, insertHosts, planDemoHosts } from "./fleet";
import { insertDemoPool } from "./libra";
import { insertDemoHistory, type HistorySummary } from "./history";
import { insertOrganisation } from "./org";
import { createRng } from "./prng";
import { insertServices, planServices } from "./services";

export { BOOTSTRAP_ADMIN, DEMO_USERS, type DemoUser } from "./catalog";
export { ensureSettingsAndRanges } from "./defaults";
export { seedScaledHosts } from "./fleet";

/** Present once the demo fleet exists; its value is when it was seeded. */
export const DEMO_SEEDED_KEY = "demo.seededAt";

const DEMO_SEED = 20_261_111;
// Two processes starting at once must not both seed.
const SEED_LOCK_KEY = 72_657_372;

export type SeedSummary =
  | { skipped: true }
  | {
      skipped: false;
      users: number;
      departments: number;
      productLines: number;
      idcs: number;
      racks: number;
      hosts: number;
      services: number;
      instances: number;
      history: HistorySummary;
      ms: number;
    };

const isSeeded = async (db: DbTx) => (await db.setting.count({ where: { key: DEMO_SEEDED_KEY } })) > 0;

/**
 * Seeds the demo company and its fleet once, in one transaction, every row marked isDemo.
 * Later calls find the `demo.seededAt` setting and return { skipped: true }.
 */
export async function seedDemo(db: Db, opts: { hostCount?: number } = {}): Promise<SeedSummary> {
  const started = performance.now();
  await ensureSettingsAndRanges(db, { demo: true });
  if (await isSeeded(db)) return { skipped: true };

  const rng = createRng(DEMO_SEED);
  const hosts = planDemoHosts(rng, opts.hostCount ?? 240);
  // Hashing is deliberately slow; do it before the transaction holds its locks.
  const passwordHashes = await Promise.all(DEMO_USERS.map((u) => hashPassword(u.password)));

  return db.$transaction(
    async (tx): Promise<SeedSummary> => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SEED_LOCK_KEY})`;
      if (await isSeeded(tx)) return { skipped: true };

      const org = await insertOrganisation(tx, passwordHashes);
      const rackIds = await ensureIdcsAndRacks(
        tx,
        IDCS.map(() => DEMO_RACKS_PER_IDC),
      );
      const hostIds = await insertHosts(tx, hosts, rackIds, org.departmentIds);
      const plan = planServices(rng, hosts, PRODUCT_LINES, await tx.portRange.findMany());
      const created = await insertServices(
        tx,
        plan.services,
        hosts.map((h) => ({ id: hostIds.get(h.ip)!, ip: h.ip })),
        org.productLineIds,
      );
      for (const { software, nextPort } of plan.nextPorts) {
        await tx.portRange.update({ where: { software }, data: { nextPort } });
      }
      await insertDemoPool(tx);
      const history = await insertDemoHistory(tx);
      await insertDemoHostHealth(tx);
      await tx.setting.create({ data: { key: DEMO_SEEDED_KEY, value: new Date().toISOString() } });

      return {
        skipped: false,
        users: org.users,
        departments: org.departmentIds.size,
        productLines: org.productLineIds.size,
        idcs: IDCS.length,
        racks: rackIds.size,
        hosts: hostIds.size,
        ...created,
        history,
        ms: Math.round(performance.now() - started),
      };
    },
    { timeout: 300_000, maxWait: 30_000 },
  );
}
