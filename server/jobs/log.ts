import type { Prisma } from "../../generated/prisma/client";
import { english } from "../../i18n/load";
import type { Text } from "../../lib/text";
import type { Db } from "../db/client";
import { log } from "../log";
import type { JobLogger } from "./steps";

/**
 * Log lines go to the database (the browser reads them in its language) and to stdout (the
 * operator's terminal, in English). A plain string is a foreign system's own words, kept as they are.
 */
export function jobLogger(db: Db, jobId: string, stepIndex: () => number | null): JobLogger {
  const out = log.child({ part: "job", job: jobId });
  const write = (level: "info" | "warn" | "error") => async (line: Text | string) => {
    const message = english(line);
    out[level]({ step: stepIndex() }, message);
    await db.jobLog.create({
      data: { jobId, stepIndex: stepIndex(), level, message, text: typeof line === "string" ? undefined : (line as Prisma.InputJsonValue) },
    });
  };
  return { info: write("info"), warn: write("warn"), error: write("error") };
}
