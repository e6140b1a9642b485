import type { Db } from "../client";
import { loadActor } from "../../domain/access/actor";
import type { RequestForm } from "../../domain/provisioning/request-schema";
import { approveRequest, createRequest, type Dispatcher } from "../../domain/requests/requests";

/** Set once the live demo services were requested, so a restart does not ask again. */
export const LIVE_DEMO_KEY = "demo.liveRequestedAt";

type LiveDemo = { requester: string; productLine: string; form: Omit<RequestForm, "productLineId"> };

const common = { persistence: "none", idcPreference: null, readRatio: 80 } as const;

/**
 * A few services the demo users ask for and the demo DBA approves, delivered for real on the demo
 * hosts by the worker: the embedded default then has live processes to monitor, operate and load.
 * They go through the same request → approve → job path as anyone's, so they show it working.
 */
export const LIVE_DEMO: LiveDemo[] = [
  {
    requester: "biz",
    productLine: "trade-cart",
    form: {
      ...common,
      kind: "REDIS_SENTINEL",
      purpose: "live demo: cart sessions",
      capacityGb: 1,
      peakQps: 5_000,
      expectedKeys: 200_000,
      highAvailability: true,
    },
  },
  {
    requester: "biz",
    productLine: "trade-order",
    form: {
      ...common,
      kind: "REDIS_TWEMPROXY",
      purpose: "live demo: order cache behind Twemproxy",
      capacityGb: 4,
      peakQps: 40_000,
      expectedKeys: 2_000_000,
      highAvailability: true,
    },
  },
  {
    requester: "biz",
    productLine: "trade-refund",
    form: {
      ...common,
      kind: "MEMCACHED",
      purpose: "live demo: refund page fragments",
      capacityGb: 1,
      peakQps: 8_000,
      expectedKeys: 500_000,
      highAvailability: false,
    },
  },
];

/** Requests and approves the live demo services once; the worker delivers them. Returns the job ids. */
export async function requestLiveDemo(db: Db, dispatch: Dispatcher): Promise<string[]> {
  if (await db.setting.findUnique({ where: { key: LIVE_DEMO_KEY } })) return [];
  await db.setting.create({ data: { key: LIVE_DEMO_KEY, value: new Date().toISOString() } });
  const dbaUser = await db.user.findUniqueOrThrow({ where: { username: "dba" } });
  const dba = (await loadActor(db, dbaUser.id))!;
  const jobs: string[] = [];
  for (const live of LIVE_DEMO) {
    const [user, line] = await Promise.all([
      db.user.findUniqueOrThrow({ where: { username: live.requester } }),
      db.productLine.findUniqueOrThrow({ where: { code: live.productLine } }),
    ]);
    const requester = (await loadActor(db, user.id))!;
    const request = await createRequest(db, requester, { ...live.form, productLineId: line.id }, true);
    jobs.push((await approveRequest(db, dba, request.id, "approved by the demo seed: a live service to watch", dispatch)).id);
  }
  return jobs;
}
