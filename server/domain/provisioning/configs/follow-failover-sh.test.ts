import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import fs from "node:fs/promises";
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
