import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { renderNutcrackerYml } from "./nutcracker-yml";
import { renderFollowFailoverSh } from "./follow-failover-sh";

/** Not a zombie: node reaps its children only when its event loop runs, and spawnSync holds it. */
const alive = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
};

describe("renderFollowFailoverSh, run by sh as Sentinel runs it", () => {
  let dir = "";
  const pids: number[] = [];
  afterEach(async () => {
    for (const p of pids.splice(0)) if (alive(p)) process.kill(-p, "SIGKILL");
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  async function setUp(opts: { running: boolean }) {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "follow-failover-"));
    const conf = path.join(dir, "22121.yml");
    const servers = [0, 1, 2].map((i) => ({ name: `svc.a-${i}`, ip: `127.0.101.${i + 1}`, port: 6379, weight: 1 }));
    await fs.writeFile(conf, renderNutcrackerYml({ pool: "svc.a", listen: { ip: "127.0.101.9", port: 22121 }, redis: true, servers }));
    const pidFile = path.join(dir, "22121.pid");
    // a stand-in daemon with its own process group, as Hedwig's executor starts the proxy
    if (opts.running) {
      const child = spawn("sleep", ["300"], { detached: true, stdio: "ignore" });
      child.unref();
      pids.push(child.pid!);
      await fs.writeFile(pidFile, `${child.pid}\n`);
    }
    const script = path.join(dir, "follow.sh");
    await fs.writeFile(
      script,
      renderFollowFailoverSh({
        title: "t",
        proxy: { ip: "127.0.101.9", port: 22121, confFile: conf, pidFile, logFile: path.join(dir, "22121.log"), argv: ["sleep", "301"] },
        staggerSeconds: 0,
        lbSocketsGlob: path.join(dir, "lb", "*", "admin.sock"),
      }),
      { mode: 0o755 },
    );
    const run = (...args: string[]) => spawnSync(script, args, { encoding: "utf8" });
    return { conf, pidFile, run };
  }

  it("repoints the shard's server line under the same name and restarts the proxy in a session of its own", async () => {
    const { conf, pidFile, run } = await setUp({ running: true });
    const before = Number(await fs.readFile(pidFile, "utf8"));
    const r = run("svc.a-1", "leader", "start", "127.0.101.2", "6379", "127.0.101.7", "6390");
    expect(r.status).toBe(0);
    const text = await fs.readFile(conf, "utf8");
    expect(text).toContain("   - 127.0.101.7:6390:1 svc.a-1\n");
    expect(text).toContain("   - 127.0.101.1:6379:1 svc.a-0\n");
    expect(text).toContain("   - 127.0.101.3:6379:1 svc.a-2\n");
    const after = Number(await fs.readFile(pidFile, "utf8"));
    pids.push(after);
    expect(after).not.toBe(before);
    expect(alive(before)).toBe(false);
    expect(alive(after)).toBe(true);
    // the new process leads its own process group, as Hedwig's daemon bookkeeping requires
    const stat = await fs.readFile(`/proc/${after}/stat`, "utf8");
    expect(Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2])).toBe(after);
  });

  it("does nothing a second time (the observers run it too), nor for a shard the proxy does not serve", async () => {
    const { conf, pidFile, run } = await setUp({ running: true });
    expect(run("svc.a-1", "leader", "start", "127.0.101.2", "6379", "127.0.101.7", "6390").status).toBe(0);
    const pid = await fs.readFile(pidFile, "utf8");
    pids.push(Number(pid));
    expect(run("svc.a-1", "observer", "start", "127.0.101.2", "6379", "127.0.101.7", "6390").status).toBe(0);
    expect(run("other-0", "observer", "start", "127.0.101.2", "6379", "127.0.101.7", "6390").status).toBe(0);
    // "svc.a-1" must not match "svcXa-1": the dot is literal
    expect(run("svcXa-1", "observer", "start", "127.0.101.2", "6379", "127.0.101.8", "6390").status).toBe(0);
    expect(await fs.readFile(pidFile, "utf8")).toBe(pid);
    expect(await fs.readFile(conf, "utf8")).toContain("   - 127.0.101.7:6390:1 svc.a-1\n");
  });

  it("only rewrites the file of a stopped proxy, and refuses arguments that are not a name and an address", async () => {
    const { conf, run } = await setUp({ running: false });
    expect(run("svc.a-0", "leader", "start", "127.0.101.1", "6379", "127.0.101.5", "6379").status).toBe(0);
    expect(await fs.readFile(conf, "utf8")).toContain("   - 127.0.101.5:6379:1 svc.a-0\n");
    expect(run("svc.a-0/;rm", "leader", "start", "1", "1", "127.0.101.6", "6379").status).toBe(2);
    expect(run("svc.a-0", "leader", "start", "1", "1", "127.0.101.6;x", "6379").status).toBe(2);
    expect(await fs.readFile(conf, "utf8")).toContain("   - 127.0.101.5:6379:1 svc.a-0\n");
  });
});

/** Resolves when check() holds, polling every 50 ms (a check that throws does not hold yet); rejects after timeoutMs. */
async function until(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (
      await Promise.resolve()
        .then(check)
        .catch(() => false)
    )
      return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("renderFollowFailoverSh in front of a real HAProxy and real Twemproxies", () => {
  let dir = "";
  const groups: number[] = [];
  afterEach(async () => {
    for (const p of groups.splice(0)) if (alive(p)) process.kill(-p, "SIGKILL");
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  const VIP = { ip: "127.0.101.30", port: 22131 };
  const A = { ip: "127.0.101.31", port: 22131 };
  const B = { ip: "127.0.101.32", port: 22131 };
  const servers = [{ name: "svc.b-0", ip: "127.0.101.35", port: 6379, weight: 1 }];
  const nutcracker = (conf: string, p: { ip: string; port: number }) => ["nutcracker", "-c", conf, "-s", String(p.port + 1000), "-a", p.ip, "-i", "1000"];

  /** A daemon leading its own process group, its pid in pidFile. */
  async function daemon(argv: string[], pidFile: string) {
    const child = spawn(argv[0]!, argv.slice(1), { detached: true, stdio: "ignore" });
    child.unref();
    groups.push(child.pid!);
    await fs.writeFile(pidFile, `${child.pid}\n`);
    return child.pid!;
  }

  /** HAProxy with a VIP over proxies A and B, its runtime API where the script looks; proxy A under the script. */
  async function setUp(opts: { withB: boolean }) {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "follow-failover-lb-"));
    await fs.mkdir(path.join(dir, "lb", "1"), { recursive: true });
    const sock = path.join(dir, "lb", "1", "admin.sock");
    const members = [A, ...(opts.withB ? [B] : [])];
    const cfg = [
      "global",
      `    stats socket ${sock} mode 600 level admin`,
      "defaults",
      "    mode tcp",
      "    timeout connect 2s",
      "    timeout client 30s",
      "    timeout server 30s",
      "listen vip",
      `    bind ${VIP.ip}:${VIP.port}`,
      "    default-server inter 200ms fall 2 rise 1",
      ...members.map((m, i) => `    server m${i} ${m.ip}:${m.port} check`),
      "",
    ].join("\n");
    await fs.writeFile(path.join(dir, "haproxy.cfg"), cfg);
    await daemon(["haproxy", "-db", "-f", path.join(dir, "haproxy.cfg")], path.join(dir, "haproxy.pid"));
    const confOf = (p: { ip: string; port: number }) => path.join(dir, `${p.ip}.yml`);
    for (const p of members) {
      await fs.writeFile(confOf(p), renderNutcrackerYml({ pool: "svc.b", listen: p, redis: true, servers }));
      await daemon(nutcracker(confOf(p), p), path.join(dir, `${p.ip}.pid`));
    }
    const hap = (command: string) =>
      new Promise<string>((resolve, reject) => {
        const c = net.connect({ path: sock });
        let out = "";
        c.on("connect", () => c.end(`${command}\n`));
        c.on("data", (d) => (out += d));
        c.on("error", reject);
        c.on("close", () => resolve(out));
      });
    /** server name → [operational state, admin state] */
    const states = async () =>
      new Map(
        (await hap("show servers state vip"))
          .split("\n")
          .map((l) => l.split(" "))
          .filter((f) => f.length > 18 && /^\d+$/.test(f[0]!))
          .map((f) => [f[3]!, [Number(f[5]), Number(f[6])]] as const),
      );
    await until(async () => [...(await states()).values()].every(([op]) => op === 2), 10_000, "HAProxy to see every proxy up");
    const pidFile = path.join(dir, `${A.ip}.pid`);
    const logFile = path.join(dir, "a.log");
    const script = path.join(dir, "follow.sh");
    await fs.writeFile(
      script,
      renderFollowFailoverSh({
        title: "t",
        proxy: { ...A, confFile: confOf(A), pidFile, logFile, argv: nutcracker(confOf(A), A) },
        staggerSeconds: 0,
        lbSocketsGlob: path.join(dir, "lb", "*", "admin.sock"),
      }),
      { mode: 0o755 },
    );
    /** Sentinel's call, without holding the event loop: the test watches HAProxy meanwhile. */
    const run = () =>
      new Promise<number | null>((resolve) =>
        spawn(script, ["svc.b-0", "leader", "start", "127.0.101.35", "6379", "127.0.101.36", "6380"], { stdio: "ignore" }).on("exit", resolve),
      );
    return { hap, states, run, pidFile, logFile, conf: confOf(A) };
  }

  it("drains its server in the VIP before the restart and sets it ready once the new proxy listens", async () => {
    const { states, run, pidFile, logFile, conf } = await setUp({ withB: true });
    const before = Number(await fs.readFile(pidFile, "utf8"));
    const seen = new Set<string>();
    let done = false;
    const exit = run().finally(() => (done = true));
    while (!done) {
      const s = await states();
      const pid = Number(await fs.readFile(pidFile, "utf8"));
      seen.add(`${s.get("m0")![1] === 8 ? "drained" : "ready"} ${pid === before ? "old" : "new"}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(await exit).toBe(0);
    const after = Number(await fs.readFile(pidFile, "utf8"));
    groups.push(after);
    expect(after).not.toBe(before);
    expect(alive(before)).toBe(false);
    expect(await fs.readFile(conf, "utf8")).toContain("   - 127.0.101.36:6380:1 svc.b-0\n");
    // drained while the old proxy ran, never the new one serving new connections before it listened
    expect(seen).toContain("drained old");
    expect((await states()).get("m0")).toEqual([2, 0]);
    expect((await states()).get("m1")).toEqual([2, 0]);
    const log = await fs.readFile(logFile, "utf8");
    expect(log).toMatch(/vip\/m0: drained in /);
    expect(log).toMatch(/vip\/m0: ready again in /);
  });

  it("waits while another proxy of the VIP is drained (its own restart), one proxy at a time", async () => {
    const { hap, states, run, pidFile } = await setUp({ withB: true });
    const before = Number(await fs.readFile(pidFile, "utf8"));
    expect((await hap("set server vip/m1 state drain")).trim()).toBe("");
    const exit = run();
    await new Promise((r) => setTimeout(r, 1500));
    // still waiting for its turn: neither drained nor restarted
    expect(Number(await fs.readFile(pidFile, "utf8"))).toBe(before);
    expect((await states()).get("m0")![1]).toBe(0);
    expect((await hap("set server vip/m1 state ready")).trim()).toBe("");
    expect(await exit).toBe(0);
    const after = Number(await fs.readFile(pidFile, "utf8"));
    groups.push(after);
    expect(after).not.toBe(before);
    expect((await states()).get("m0")).toEqual([2, 0]);
  });

  it("does not drain the VIP's only proxy (that would refuse every client): it restarts it as before", async () => {
    const { states, run, pidFile, logFile } = await setUp({ withB: false });
    const before = Number(await fs.readFile(pidFile, "utf8"));
    expect(await run()).toBe(0);
    const after = Number(await fs.readFile(pidFile, "utf8"));
    groups.push(after);
    expect(after).not.toBe(before);
    expect((await states()).get("m0")![1]).toBe(0);
    expect(await fs.readFile(logFile, "utf8")).toContain("vip/m0: no other proxy of the VIP is up and ready; restarting without draining");
  });
});
