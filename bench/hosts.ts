/**
 * Host metrics collected through the SSH executor from 240 hosts: each host is a loopback address
 * of its own (127.0.172.1–240) served by real OpenSSH servers (16 addresses each, sshd's limit of
 * listening sockets), with a sealed login per host, so
 * every reading is a real SSH exec of the collection script on a kept session. Rounds of all 240 are
 * timed at several concurrencies ("workers": lanes of the collector); the first round, which opens
 * the sessions, is reported apart. Also the same hosts as local (demo) hosts, read in-process.
 * Added load: Hedwig's own CPU per host read (process.cpuUsage), and the machine's busy CPU share
 * during the rounds against an idle second before them (the remote side — sshd, sh, cat — runs on
 * this machine too, so it is inside that figure).
 *   npm run bench -- hosts
 */
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createDb } from "../server/db/client";
import { migrate } from "../server/db/migrate";
import { ensureSettingsAndRanges } from "../server/db/seed";
import { isListening } from "../server/domain/executors/tcp";
import { collectHostMetrics } from "../server/domain/hostmetrics/collect";
import { setHostCredential } from "../server/domain/inventory/credentials";
import { withScratchDatabase } from "../scripts/scratch-db";
import { makeActor } from "../tests/integration/db";
import { emit } from "./lib";

export const name = "hosts";
const HOSTS = 240;
const SSH_PORT = 2272;
const ROUNDS = 1;
const ip = (k: number) => `127.0.172.${k + 1}`;
const r1 = (n: number) => Math.round(n * 10) / 10;

function cpuTicks() {
  const v = fs.readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = v.reduce((a, b) => a + b, 0);
  return { busy: total - v[3]! - v[4]!, total };
}

async function measure(fn: () => Promise<void>) {
  const c0 = process.cpuUsage();
  const m0 = cpuTicks();
  const t0 = performance.now();
  await fn();
  const seconds = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const m1 = cpuTicks();
  return { seconds, hedwigCpuMs: (c.user + c.system) / 1000, machineBusyPct: (100 * (m1.busy - m0.busy)) / Math.max(1, m1.total - m0.total) };
}

export async function run() {
  const savedUrl = process.env.DATABASE_URL;
  const savedDir = process.env.HEDWIG_DATA_DIR;
  delete process.env.DATABASE_URL; // a throwaway database: never a real Hedwig's
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hedwig-bench-hosts-"));
  process.env.HEDWIG_DATA_DIR = dir;
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", path.join(dir, "host_key")]);
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", path.join(dir, "user_key")]);
  fs.copyFileSync(path.join(dir, "user_key.pub"), path.join(dir, "authorized_keys"));
  fs.mkdirSync("/run/sshd", { recursive: true });
  // sshd listens on at most 16 sockets: one server per 16 hosts
  const sshds = Array.from({ length: Math.ceil(HOSTS / 16) }, (_, g) => {
    const config = path.join(dir, `sshd_config.${g}`);
    fs.writeFileSync(
      config,
      [
        ...Array.from({ length: Math.min(16, HOSTS - g * 16) }, (_, k) => `ListenAddress ${ip(g * 16 + k)}`),
        `Port ${SSH_PORT}`,
        `HostKey ${path.join(dir, "host_key")}`,
        `AuthorizedKeysFile ${path.join(dir, "authorized_keys")}`,
        `PidFile ${path.join(dir, `sshd.${g}.pid`)}`,
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "UsePAM no",
        "StrictModes no",
        "PermitRootLogin prohibit-password",
        "MaxStartups 100",
        "",
      ].join("\n"),
    );
    return spawn("/usr/sbin/sshd", ["-D", "-e", "-f", config], { stdio: "ignore" });
  });
  try {
    for (let k = 0; k < HOSTS; k += 16) if (!(await isListening(ip(k), SSH_PORT, 5_000))) throw new Error(`sshd did not listen on ${ip(k)}`);
    await withScratchDatabase(async (url) => {
      await migrate(url);
      const db = createDb(url, 10);
      try {
        await ensureSettingsAndRanges(db);
        const dba = await makeActor(db, "DBA");
        const idc = await db.idc.create({ data: { code: "bh", name: "BH", region: "cn-sh" } });
        const rack = await db.rack.create({ data: { idcId: idc.id, code: "r1" } });
        const key = fs.readFileSync(path.join(dir, "user_key"), "utf8").trim();
        for (let k = 0; k < HOSTS; k++) {
          const h = await db.host.create({
            data: { ip: ip(k), hostname: `bh-${k}`, rackId: rack.id, cpuCores: 32, memoryMb: 131072, diskGb: 2000, bandwidthMbps: 10000 },
          });
          await setHostCredential(db, dba, { hostId: h.id, username: "root", sshPort: SSH_PORT, method: "KEY", privateKey: key });
        }
        const idle = await measure(() => new Promise((r) => setTimeout(r, 1000)));
        const round = async (concurrency: number) => {
          const results = await collectHostMetrics(db, new Date(), { concurrency });
          const down = results.filter((r) => !r.up);
          if (down.length) throw new Error(`${down.length} hosts did not answer: ${down[0]!.error}`);
        };
        const first = await measure(() => round(16));
        emit({
          name: "hosts",
          mode: "ssh",
          phase: "first round (opens 240 sessions)",
          workers: 16,
          hosts: HOSTS,
          seconds: r1(first.seconds),
          hosts_per_s: r1(HOSTS / first.seconds),
        });
        for (const workers of [1, 4, 16, 32]) {
          const m = await measure(async () => {
            for (let i = 0; i < ROUNDS; i++) await round(workers);
          });
          const reads = HOSTS * ROUNDS;
          emit({
            name: "hosts",
            mode: "ssh",
            workers,
            hosts: HOSTS,
            rounds: ROUNDS,
            seconds_per_round: r1(m.seconds / ROUNDS),
            hosts_per_s: r1(reads / m.seconds),
            hosts_per_s_per_worker: r1(reads / m.seconds / workers),
            hedwig_cpu_ms_per_host: r1(m.hedwigCpuMs / reads),
            machine_busy_pct: r1(m.machineBusyPct),
            machine_busy_pct_idle_before: r1(idle.machineBusyPct),
            loadavg_1m: r1(os.loadavg()[0]!),
          });
        }
        await db.host.updateMany({ data: { executor: "LOCAL" } });
        for (const workers of [1, 16]) {
          const m = await measure(async () => {
            for (let i = 0; i < ROUNDS; i++) await round(workers);
          });
          const reads = HOSTS * ROUNDS;
          emit({
            name: "hosts",
            mode: "local",
            workers,
            hosts: HOSTS,
            seconds_per_round: r1(m.seconds / ROUNDS),
            hosts_per_s: r1(reads / m.seconds),
            hosts_per_s_per_worker: r1(reads / m.seconds / workers),
            hedwig_cpu_ms_per_host: r1(m.hedwigCpuMs / reads),
            machine_busy_pct: r1(m.machineBusyPct),
          });
        }
      } finally {
        await db.$disconnect();
      }
    });
  } finally {
    for (const sshd of sshds) sshd.kill("SIGKILL");
    fs.rmSync(dir, { recursive: true, force: true });
    if (savedUrl) process.env.DATABASE_URL = savedUrl;
    if (savedDir) process.env.HEDWIG_DATA_DIR = savedDir;
    else delete process.env.HEDWIG_DATA_DIR;
  }
}
