import { cloneProxyJob, failoverJob, maxmemoryJob, removeJob, restartJob, startJob, stopJob } from "../domain/operations";
import { lbRestartJob } from "../domain/healing/lb-keeper";
import { trafficJob } from "../domain/monitoring/traffic/job";
import { provisionJob } from "../domain/provisioning/provision-job";
import { rotateJob } from "../domain/credentials/rotate";
import { parametersJob } from "../domain/daytwo/parameters-job";
import { upgradeJob } from "../domain/daytwo/upgrade-job";
import { backupJob } from "../domain/backups/backup-job";
import { restoreJob } from "../domain/backups/restore-job";
import { keyAnalysisJob } from "../domain/keys/job";
import { cleanupJob } from "../domain/decommission/cleanup";
import { decommissionJob } from "../domain/decommission/job";
import { reshardJob } from "../domain/reshard/job";
import { inspectionJob } from "../domain/inspections/job";
import type { JobDefinition } from "./steps";

/** Every kind of job the worker runs. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- jobs of every input and state type; each is typed where it is defined
export const JOBS: Record<string, JobDefinition<any, any>> = {
  [provisionJob.kind]: provisionJob,
  [startJob.kind]: startJob,
  [stopJob.kind]: stopJob,
  [restartJob.kind]: restartJob,
  [maxmemoryJob.kind]: maxmemoryJob,
  [failoverJob.kind]: failoverJob,
  [removeJob.kind]: removeJob,
  [cloneProxyJob.kind]: cloneProxyJob,
  [trafficJob.kind]: trafficJob,
  [lbRestartJob.kind]: lbRestartJob,
  [rotateJob.kind]: rotateJob,
  [parametersJob.kind]: parametersJob,
  [upgradeJob.kind]: upgradeJob,
  [backupJob.kind]: backupJob,
  [restoreJob.kind]: restoreJob,
  [keyAnalysisJob.kind]: keyAnalysisJob,
  [decommissionJob.kind]: decommissionJob,
  [cleanupJob.kind]: cleanupJob,
  [reshardJob.kind]: reshardJob,
  [inspectionJob.kind]: inspectionJob,
};
