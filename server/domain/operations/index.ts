export { cloneProxyJob } from "./clone-proxy";
export { failoverJob } from "./failover";
export { restartJob, startJob, stopJob } from "./lifecycle";
export { maxmemoryJob } from "./maxmemory";
export { removeJob } from "./remove";
export { listOperationJobs, submitOperation } from "./submit";
