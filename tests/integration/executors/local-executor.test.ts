import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { ExecutorError, runChecked } from "../../../server/domain/executors/executor";
import { LocalExecutor } from "../../../server/domain/executors/local-executor";
import { daemonCleanup, freePort, processExists, redisConf, tcpRequest, tempDir } from "./helpers";

const REDIS_IP = "127.0.106.200";
const MEMCACHED_IP = "127.0.106.201";
const PROXY_IP = "127.0.106.202";

const hostsDir = tempDir("local");
const hostExec = (ip: string) => new LocalExecutor({ ip, root: path.join(hostsDir, ip) });
const redisHost = hostExec(REDIS_IP);
const memcachedHost = hostExec(MEMCACHED_IP);
const proxyHost = hostExec(PROXY_IP);
const trackRedis = daemonCleanup(() => redisHost);
const trackMemcached = daemonCleanup(() => memcachedHost);
const trackProxy = daemonCleanup(() => proxyHost);

/** A real redis-server on the demo host 127.0.106.200, configured through the executor. */
async function startRedis(): Promise<{ port: number; pid: number; pidFile: string }> {
  const port = await freePort(REDIS_IP);
  const dir = `/redis/${port}`;
  await redisHost.writeFile(`${dir}/redis.conf`, redisConf(redisHost, REDIS_IP, port, dir));
  const pidFile = trackRedis(`${dir}/hedwig.pid`);
  const pid = await redisHost.startDaemon("redis", ["/usr/bin/redis-server", redisHost.resolve(`${dir}/redis.conf`)], { pidFile, logFile: `${dir}/redis.log` });
  expect(await redisHost.isListening(REDIS_IP, port, 5_000)).toBe(true);
  return { port, pid, pidFile };
}

describe("LocalExecutor", () => {
  it("runs redis-server bound to its host's address, and stops it", async () => {
    const { port, pid, pidFile } = await startRedis();
    expect(fs.readFileSync(path.join(hostsDir, REDIS_IP, `redis/${port}/hedwig.pid`), "utf8").trim()).toBe(String(pid));
    const redis = new Redis({ host: REDIS_IP, port, lazyConnect: true, maxRetriesPerRequest: 0 });
    try {
      await redis.connect();
      await redis.set("owl", "hedwig");
      expect(await redis.get("owl")).toBe("hedwig");
      expect(Number(/process_id:(\d+)/.exec(await redis.info("server"))![1])).toBe(pid);
    } finally {
      redis.disconnect();
    }
    // bound to 127.0.106.200 only: another loopback address of the machine does not answer
    expect(await redisHost.isListening("127.0.0.1", port, 0)).toBe(false);

    expect(await redisHost.stopDaemon(pidFile)).toBe(true);
    expect(await redisHost.isListening(REDIS_IP, port, 0)).toBe(false);
    expect(processExists(pid)).toBe(false);
    expect(await redisHost.stopDaemon(pidFile)).toBe(false); // already stopped: nothing to do
  });

  it("runs memcached on 127.0.106.201 and answers its text protocol", async () => {
    const port = await freePort(MEMCACHED_IP);
    const pidFile = trackMemcached(`/memcached/${port}/hedwig.pid`);
    const argv = ["/usr/bin/memcached", "-l", MEMCACHED_IP, "-p", String(port), "-U", "0", "-m", "16", "-u", "memcache"];
    const pid = await memcachedHost.startDaemon("memcached", argv, { pidFile, logFile: `/memcached/${port}/memcached.log` });
    expect(await memcachedHost.isListening(MEMCACHED_IP, port, 5_000)).toBe(true);
    // a retried step does not start a second one
    expect(await memcachedHost.startDaemon("memcached", argv, { pidFile, logFile: `/memcached/${port}/memcached.log` })).toBe(pid);

    expect(await tcpRequest(MEMCACHED_IP, port, "set owl 0 0 6\r\nhedwig\r\n", /\r\n$/)).toBe("STORED\r\n");
    expect(await tcpRequest(MEMCACHED_IP, port, "get owl\r\n", /END\r\n$/)).toBe("VALUE owl 0 6\r\nhedwig\r\nEND\r\n");
    expect(await tcpRequest(MEMCACHED_IP, port, "stats\r\n", /END\r\n$/)).toMatch(new RegExp(`STAT pid ${pid}\\r\\n`));

    expect(await memcachedHost.stopDaemon(pidFile)).toBe(true);
    expect(await memcachedHost.isListening(MEMCACHED_IP, port, 0)).toBe(false);
    expect(processExists(pid)).toBe(false);
  });

  it("runs nutcracker on 127.0.106.202 in front of the redis", async () => {
    const redis = await startRedis();
    const [port, statsPort] = [await freePort(PROXY_IP), await freePort(PROXY_IP)];
    const dir = `/twemproxy/${port}`;
    const conf = [
      "hedwig:",
      `  listen: ${PROXY_IP}:${port}`,
      "  hash: fnv1a_64",
      "  distribution: ketama",
      "  redis: true",
      "  auto_eject_hosts: false",
      "  servers:",
      `    - ${REDIS_IP}:${redis.port}:1`,
      "",
    ].join("\n");
    await proxyHost.writeFile(`${dir}/nutcracker.yml`, conf);
    // the conf passes nutcracker's own test
    await runChecked(proxyHost, ["/usr/sbin/nutcracker", "--test-conf", "-c", proxyHost.resolve(`${dir}/nutcracker.yml`)]);
    const pidFile = trackProxy(`${dir}/hedwig.pid`);
    // -a/-s: the stats port would otherwise listen on 0.0.0.0:22222
    const argv = ["/usr/sbin/nutcracker", "-c", proxyHost.resolve(`${dir}/nutcracker.yml`), "-a", PROXY_IP, "-s", String(statsPort)];
    const pid = await proxyHost.startDaemon("nutcracker", argv, { pidFile, logFile: `${dir}/nutcracker.log` });
    expect(await proxyHost.isListening(PROXY_IP, port, 5_000)).toBe(true);

    // ioredis 6 opens with HELLO 3 and CLIENT SETINFO, which Twemproxy answers by closing the connection
    const viaProxy = new Redis({
      host: PROXY_IP,
      port,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      enableReadyCheck: false,
      protocol: 2,
      disableClientInfo: true,
    });
    const direct = new Redis({ host: REDIS_IP, port: redis.port, lazyConnect: true, maxRetriesPerRequest: 0 });
    try {
      await viaProxy.connect();
      await direct.connect();
      await viaProxy.set("through", "the proxy");
      expect(await direct.get("through")).toBe("the proxy");
    } finally {
      viaProxy.disconnect();
      direct.disconnect();
    }
    expect(JSON.parse(await tcpRequest(PROXY_IP, statsPort, "", /}\s*$/))).toHaveProperty("hedwig");

    expect(await proxyHost.stopDaemon(pidFile)).toBe(true);
    expect(await proxyHost.isListening(PROXY_IP, port, 0)).toBe(false);
    expect(processExists(pid)).toBe(false);
    expect(await redisHost.stopDaemon(redis.pidFile)).toBe(true);
  });

  it("keeps a daemon running when the Hedwig process that started it is killed", async () => {
    const port = await freePort(MEMCACHED_IP);
    const pidFile = trackMemcached(`/memcached/${port}/hedwig.pid`);
    const script = path.join(hostsDir, "start-and-wait.mts");
    fs.writeFileSync(
      script,
      [
        `import { LocalExecutor } from ${JSON.stringify(path.resolve("server/domain/executors/local-executor.ts"))};`,
        `const exec = new LocalExecutor({ ip: "${MEMCACHED_IP}", root: ${JSON.stringify(path.join(hostsDir, MEMCACHED_IP))} });`,
        `await exec.startDaemon("memcached", ["/usr/bin/memcached", "-l", "${MEMCACHED_IP}", "-p", "${port}", "-U", "0", "-u", "memcache"], { pidFile: "${pidFile}", logFile: "/memcached/${port}/memcached.log" });`,
        `console.log("started");`,
        `setInterval(() => {}, 1000);`,
      ].join("\n"),
    );
    // a process group of its own, killed as a whole like a service manager or a Ctrl-C would
    const hedwig = spawn(process.execPath, ["--import", "tsx", script], { detached: true, stdio: ["ignore", "pipe", "inherit"] });
    try {
      await new Promise<void>((resolve, reject) => {
        hedwig.stdout.on("data", (b: Buffer) => b.toString().includes("started") && resolve());
        hedwig.once("exit", (code) => reject(new Error(`the starter exited with ${code}`)));
      });
    } finally {
      process.kill(-hedwig.pid!, "SIGKILL");
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(await memcachedHost.isListening(MEMCACHED_IP, port, 1_000)).toBe(true);
    expect(await memcachedHost.stopDaemon(pidFile)).toBe(true);
    expect(await memcachedHost.isListening(MEMCACHED_IP, port, 0)).toBe(false);
  });

  it("fails a daemon that exits at once, with its log", async () => {
    const pidFile = trackRedis("/broken/hedwig.pid");
    await redisHost.writeFile("/broken/redis.conf", "bind 127.0.106.200\nport not-a-port\n");
    await expect(
      redisHost.startDaemon("redis", ["/usr/bin/redis-server", redisHost.resolve("/broken/redis.conf")], { pidFile, logFile: "/broken/redis.log" }),
    ).rejects.toThrow(/local 127\.0\.106\.200 .*start redis: exited at once; the end of \/broken\/redis\.log:[\s\S]*port/);
  });

  it("refuses paths that leave the host's root", async () => {
    for (const bad of ["/../outside", "/a/../../outside", "relative/path"]) {
      await expect(redisHost.writeFile(bad, "x")).rejects.toThrow(/must be absolute and must not contain '\.\.'/);
      expect(() => redisHost.resolve(bad)).toThrow(ExecutorError);
    }
    await expect(redisHost.remove("/")).rejects.toThrow(/refusing/);
    await expect(redisHost.remove("/./")).rejects.toThrow(/refusing/);
    expect(fs.existsSync(path.join(hostsDir, "outside"))).toBe(false);
  });

  it("writes, reads and removes files under the host's root, with the mode asked", async () => {
    await redisHost.writeFile("/etc/secret.conf", "requirepass x\n", 0o600);
    const real = path.join(hostsDir, REDIS_IP, "etc/secret.conf");
    expect(fs.statSync(real).mode & 0o777).toBe(0o600);
    expect(await redisHost.readFile("/etc/secret.conf")).toBe("requirepass x\n");
    await redisHost.remove("/etc");
    expect(fs.existsSync(real)).toBe(false);
    await expect(redisHost.readFile("/etc/secret.conf")).rejects.toThrow(/local 127\.0\.106\.200 .*: read \/etc\/secret\.conf: ENOENT/);
  });

  it("reports a failing command's exit code and stderr, a command that cannot start, and one that runs too long", async () => {
    const r = await redisHost.run(["ls", "/no/such/dir"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/No such file or directory/);
    await expect(runChecked(redisHost, ["ls", "/no/such/dir"])).rejects.toThrow(
      /local 127\.0\.106\.200 .*: ls \/no\/such\/dir: exited with code 2: .*No such file/,
    );
    await expect(redisHost.run(["/no/such/program"])).rejects.toThrow(/\/no\/such\/program: cannot run: .*ENOENT/);
    // the whole command is killed, including what it started
    await expect(redisHost.run(["sh", "-c", "sleep 7.35 & sleep 7.36"], { timeoutMs: 200 })).rejects.toThrow(/sleep 7\.36: killed after 200 ms/);
    await new Promise((res) => setTimeout(res, 100));
    expect((await redisHost.run(["pgrep", "-f", "sleep 7.3[56]"])).code).toBe(1);
  });

  it("passes only a minimal environment plus what is asked", async () => {
    const r = await redisHost.run(["env"], { env: { HEDWIG_TEST: "a b" } });
    expect(r.stdout).toMatch(/^HEDWIG_TEST=a b$/m);
    expect(r.stdout).not.toMatch(/DATABASE_URL|NEXTAUTH_SECRET|HEDWIG_SECRET_KEY/);
  });

  it("serves loopback hosts only", () => {
    expect(() => new LocalExecutor({ ip: "10.0.0.1", root: hostsDir })).toThrow(/loopback hosts \(127\.x\.x\.x\) only/);
  });
});

afterAll(() => Promise.all([redisHost, memcachedHost, proxyHost].map((h) => h.close())));
