import fs from "node:fs/promises";
import path from "node:path";
import { dataDir } from "../provisioning/deploy/executors";

/**
 * Hedwig's backup store: a directory on Hedwig's side (HEDWIG_BACKUP_DIR, default <data dir>/backups),
 * one folder per backup, one RDB per shard. An S3-compatible bucket is not offered: see the README.
 */
export const backupRoot = () => path.resolve(process.env.HEDWIG_BACKUP_DIR ?? path.join(dataDir(), "backups"));

export const storeName = () => `dir:${backupRoot()}`;

export const backupDir = (serviceId: number, backupId: number) => path.join(backupRoot(), String(serviceId), String(backupId));

export const shardFile = (serviceId: number, backupId: number, shard: number) => path.join(backupDir(serviceId, backupId), `shard-${shard}.rdb`);

export async function removeBackupFiles(serviceId: number, backupId: number): Promise<void> {
  await fs.rm(backupDir(serviceId, backupId), { recursive: true, force: true });
}

/** What a backup row keeps of each shard's file. */
export type BackupFile = { shard: number; source: string; role: string; file: string; bytes: number; sha256: string; keys: number | null };
