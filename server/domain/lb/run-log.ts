import type { Prisma } from "../../../generated/prisma/client";
import { english } from "../../../i18n/load";
import type { Text } from "../../../lib/text";
import type { Db } from "../../db/client";

/** `message` is the English; `text` the code the page renders in its language (absent in older runs and for foreign words) */
export type RunLine = { at: string; level: "info" | "warn" | "error"; message: string; text?: Text };

/** A sync run's log, written through to its row after every line so the browser follows it live. */
export class RunLog {
  readonly lines: RunLine[] = [];

  private constructor(
    private readonly db: Db,
    readonly runId: number,
  ) {}

  static async open(db: Db, poolId: number, trigger: string): Promise<RunLog> {
    const run = await db.lbSyncRun.create({ data: { poolId, trigger } });
    return new RunLog(db, run.id);
  }

  info = (m: Text | string) => this.add("info", m);
  warn = (m: Text | string) => this.add("warn", m);
  error = (m: Text | string) => this.add("error", m);

  private async add(level: RunLine["level"], line: Text | string) {
    this.lines.push({ at: new Date().toISOString(), level, message: english(line), ...(typeof line === "string" ? {} : { text: line }) });
    await this.db.lbSyncRun.update({ where: { id: this.runId }, data: { log: this.lines as unknown as Prisma.InputJsonValue } });
  }

  async finish(status: "SUCCEEDED" | "FAILED" | "NOTHING_TO_DO", extra: { versionId?: number; error?: string } = {}) {
    await this.db.lbSyncRun.update({
      where: { id: this.runId },
      data: { status, finishedAt: new Date(), versionId: extra.versionId ?? null, error: extra.error ?? null },
    });
  }
}
