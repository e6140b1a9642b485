import type { Db } from "../db/client";
import type { JobLogger } from "./steps";

/** Log lines go to the database (the browser reads them) and to stdout (the operator's terminal). */
export function jobLogger(db: Db, jobId: string, stepIndex: () => number | null): JobLogger {
  const write = (level: string) => async (message: string) => {
    process.stdout.write(`[job ${jobId.slice(0, 8)}] ${level} ${message}\n`);
    await db.jobLog.create({ data: { jobId, stepIndex: stepIndex(), level, message } });
  };
  return { info: write("info"), warn: write("warn"), error: write("error") };
}
