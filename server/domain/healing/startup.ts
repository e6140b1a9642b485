import type { Db } from "../../db/client";
import type { JobLogger } from "../../jobs/steps";
import { resumeLocalInstances } from "../operations/resume";
import { resumeLoadBalancers } from "./lb-keeper";

/**
 * What Hedwig brings back when it starts (as after a reboot of the machine that runs the demo
 * hosts): the local instances last known running, then the load balancers in front of them, so
 * every VIP answers again before Hedwig serves. The reconciler keeps both alive from then on.
 */
export async function bringBackLocalFleet(db: Db, url: string, log: JobLogger) {
  const instances = await resumeLocalInstances(db, log);
  const loadBalancers = await resumeLoadBalancers(db, url, log);
  return { instances, loadBalancers };
}
