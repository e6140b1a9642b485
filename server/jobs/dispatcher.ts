import type PgBoss from "pg-boss";
import { dispatch, startQueue } from "./queue";

const globalForQueue = globalThis as unknown as { hedwigQueue?: Promise<PgBoss> };

/** The web process only sends to the queue; workers (in the launcher, or `npm run worker`) run the jobs. */
export async function dispatchJob(jobId: string): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set; start Hedwig with `npm start`");
  globalForQueue.hedwigQueue ??= startQueue(url);
  await dispatch(await globalForQueue.hedwigQueue, jobId);
}
