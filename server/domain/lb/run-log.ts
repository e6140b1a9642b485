import type { Prisma } from "../../../generated/prisma/client";
import type { Db } from "../../db/client";

export type RunLine = { at: string; level: "info" | "warn" | "error"; message: string };

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

  info = (m: string) => this.add("info", m);
  warn = (m: string) => this.add("warn", m);
  error = (m: string) => this.add("error", m);

  private async add(level: RunLine["level"], message: string) {
    this.lines.push({ at: new Date().toISOString(), level, message });
    await this.db.lbSyncRun.update({ where: { id: this.runId }, data: { log: this.lines as unknown as Prisma.InputJsonValue } });
  }

  async finish(status: "SUCCEEDED" | "FAILED" | "NOTHING_TO_DO", extra: { versionId?: number; error?: string } = {}) {
    await this.db.lbSyncRun.update({
      where: { id: this.runId },
      data: { status, finishedAt: new Date(), versionId: extra.versionId ?? null, error: extra.error ?? null },
    });
  }
}
