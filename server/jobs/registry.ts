import { provisionJob } from "../domain/provisioning/provision-job";
import type { JobDefinition } from "./steps";

/** Every kind of job the worker runs. */
export const JOBS: Record<string, JobDefinition<any, any>> = {
  [provisionJob.kind]: provisionJob,
};
