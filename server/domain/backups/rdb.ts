import { execFile, spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import { withRedis, type RedisEndpoint } from "../provisioning/deploy/probes";
import { text } from "../../../lib/text";
import { precondition } from "../errors";

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const field = (info: string, name: string) => new RegExp(`^${name}:(.*)$`, "m").exec(info)?.[1]?.trim();

/**
 * BGSAVE and wait for it: done when no save is in progress and LASTSAVE moved past what it was
 * before (a save already running when we asked would otherwise pass for ours). `SCHEDULE` waits
 * for an AOF rewrite instead of refusing. Throws when Redis reports the save failed.
 */
export async function bgsave(e: RedisEndpoint, timeoutMs: number): Promise<{ ms: number; lastsave: number }> {
  const started = Date.now();
  return withRedis(e, async (r) => {
    const before = Number(await r.lastsave());
    // LASTSAVE counts whole seconds: a save ending in the same second as the last one would look
    // like none, so ours starts once the server's clock is past that second
    const [sec, usec] = (await r.time()).map(Number) as [number, number];
    if (sec <= before) await sleep((before + 1 - sec) * 1000 - Math.floor(usec / 1000) + 5);
    // a save already under way finishes first; ours must start after it to hold the data of now
    for (;;) {
      try {
        await r.call("BGSAVE", "SCHEDULE");
        break;
      } catch (err) {
        if (!/already in progress/i.test((err as Error).message) || Date.now() - started > timeoutMs) throw err;
        await sleep(200);
      }
    }
    for (;;) {
      const info = await r.info("persistence");
      const lastsave = Number(field(info, "rdb_last_save_time") ?? 0);
      if (field(info, "rdb_bgsave_in_progress") === "0" && lastsave > before) {
        if (field(info, "rdb_last_bgsave_status") !== "ok")
          throw precondition(text("jobErrors.backups.bgsaveFailed", { address: `${e.ip}:${e.port}`, status: field(info, "rdb_last_bgsave_status") ?? "" }));
        return { ms: Date.now() - started, lastsave };
      }
      if (Date.now() - started > timeoutMs)
        throw precondition(text("jobErrors.backups.bgsaveSlow", { address: `${e.ip}:${e.port}`, seconds: Math.round(timeoutMs / 1000) }));
      await sleep(field(info, "rdb_bgsave_in_progress") === "0" ? 300 : 100);
    }
  });
}

/** `redis-check-rdb` on a stored file: the keys it read, or a throw with its verdict. */
export async function checkRdb(file: string): Promise<{ keys: number }> {
  const { stdout } = await run("redis-check-rdb", [file], { maxBuffer: 4 * 1024 * 1024, timeout: 30 * 60_000 }).catch((e: Error & { stdout?: string }) => {
    throw precondition(
      text("jobErrors.backups.checkRefused", { file: path.basename(file), output: (e.stdout ?? e.message).trim().split("\n").slice(-3).join(" ") }),
    );
  });
  if (!/RDB looks OK/i.test(stdout))
    throw precondition(text("jobErrors.backups.checkFailed", { file: path.basename(file), output: stdout.trim().split("\n").slice(-2).join(" ") }));
  return { keys: Number(/(\d+) keys read/.exec(stdout)?.[1] ?? 0) };
}

export async function sha256File(file: string): Promise<string> {
  const h = crypto.createHash("sha256");
  for await (const chunk of fs.createReadStream(file)) h.update(chunk as Buffer);
  return h.digest("hex");
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * A stored RDB opened read-only on Hedwig's side: a redis-server of this machine on 127.0.0.1,
 * with no saving, so the file stays as it was stored. Stopped by `close`.
 */
export async function openRdb(file: string, timeoutMs: number): Promise<{ port: number; close: () => Promise<void> }> {
  const port = await freePort();
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--dir", path.dirname(file), "--dbfilename", path.basename(file)];
  const child: ChildProcess = spawn("redis-server", [...args, "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let err = "";
  child.stderr!.on("data", (b: Buffer) => (err += b.toString()));
  const close = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await gone;
  };
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw precondition(text("jobErrors.backups.openFailed", { file: path.basename(file), output: err.trim().slice(-300) }));
    const loaded = await withRedis({ ip: "127.0.0.1", port, auth: null }, (r) => r.info("persistence")).then(
      (i) => field(i, "loading") === "0",
      () => false,
    );
    if (loaded) return { port, close };
    if (Date.now() > until) {
      await close();
      throw precondition(text("jobErrors.backups.loadSlow", { file: path.basename(file), seconds: Math.round(timeoutMs / 1000) }));
    }
    await sleep(100);
  }
}

const BATCH = 1000;

/**
 * Copies every key of one Redis (a stored RDB opened by openRdb) into another: SCAN in batches,
 * DUMP and PTTL pipelined, RESTORE … REPLACE pipelined, keys that expire meanwhile skipped.
 * The target keeps nothing else only when the caller flushed it first.
 */
export async function copyKeys(from: RedisEndpoint, to: RedisEndpoint, onBatch?: (copied: number) => void): Promise<number> {
  return withRedis(from, (src) =>
    withRedis(to, async (dst) => {
      let cursor = "0";
      let copied = 0;
      do {
        const [next, keys] = await src.scan(cursor, "COUNT", BATCH);
        cursor = next;
        if (keys.length === 0) continue;
        const read = src.pipeline();
        for (const k of keys) read.dumpBuffer(k).pttl(k);
        const answers = (await read.exec()) ?? [];
        const write = dst.pipeline();
        let n = 0;
        keys.forEach((k, i) => {
          const dump = answers[2 * i]?.[1] as Buffer | null;
          const ttl = Number(answers[2 * i + 1]?.[1] ?? -1);
          if (!dump || ttl === -2) return;
          write.call("RESTORE", k, String(ttl > 0 ? ttl : 0), dump, "REPLACE");
          n++;
        });
        for (const [e] of (await write.exec()) ?? []) if (e) throw e;
        copied += n;
        onBatch?.(copied);
      } while (cursor !== "0");
      return copied;
    }),
  );
}

/**
 * Deletes the keys matching a pattern by SCAN and UNLINK in batches: FLUSHALL, FLUSHDB and KEYS
 * are disabled on every Redis Hedwig renders, for Hedwig too. The number deleted.
 */
export async function deleteKeys(e: RedisEndpoint, pattern = "*"): Promise<number> {
  return withRedis(e, async (r) => {
    let cursor = "0";
    let deleted = 0;
    do {
      const [next, keys] = await r.scan(cursor, "MATCH", pattern, "COUNT", BATCH);
      cursor = next;
      if (keys.length) deleted += await r.unlink(...keys);
    } while (cursor !== "0");
    return deleted;
  });
}
