import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runChecked } from "../../../server/domain/executors/executor";
import { isListening } from "../../../server/domain/executors/tcp";
import { SshExecutor, type SshTarget } from "../../../server/domain/executors/ssh-executor";
import { daemonCleanup, freePort, NASTY, redisConf, tempDir } from "./helpers";

// The executor's ip is the host's address: SSH reaches it there and its instances bind to it.
const HOST_IP = "127.0.106.203";

const dir = tempDir("ssh");
const sshds: ChildProcess[] = [];
let port: number;
let userKey: string;
let hostFingerprint: string;
let exec: SshExecutor;
const pinned: string[] = [];
const track = daemonCleanup(() => exec);

function keygen(name: string): string {
  const file = path.join(dir, name);
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", name, "-f", file]);
  return file;
}

/** A real OpenSSH server on HOST_IP, run in the foreground as this test's child. */
async function startSshd(hostKey: string, sshPort: number): Promise<void> {
  const config = path.join(dir, `sshd_config_${sshPort}`);
  fs.writeFileSync(
    config,
    [
      `ListenAddress ${HOST_IP}`,
      `Port ${sshPort}`,
      `HostKey ${hostKey}`,
      `AuthorizedKeysFile ${path.join(dir, "authorized_keys")}`,
      `PidFile ${path.join(dir, `sshd_${sshPort}.pid`)}`,
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "UsePAM no",
      "StrictModes no",
      "PermitRootLogin prohibit-password",
      // -f replaces /etc/ssh/sshd_config, which is where Debian declares the SFTP subsystem
      "Subsystem sftp /usr/lib/openssh/sftp-server",
      "",
    ].join("\n"),
  );
  const sshd = spawn("/usr/sbin/sshd", ["-D", "-e", "-f", config], { stdio: ["ignore", "ignore", "pipe"] });
  sshds.push(sshd);
  let log = "";
  sshd.stderr!.on("data", (b: Buffer) => (log += b.toString()));
  if (!(await isListening(HOST_IP, sshPort, 5_000))) throw new Error(`sshd did not listen on ${HOST_IP}:${sshPort}: ${log}`);
}

const target = (over: Partial<SshTarget> = {}): SshTarget => ({ ip: HOST_IP, port, credential: { username: "root", privateKey: userKey }, ...over });

beforeAll(async () => {
  fs.mkdirSync("/run/sshd", { recursive: true }); // sshd's privilege separation directory
  const hostKey = keygen("host_key");
  const userKeyFile = keygen("user_key");
  fs.copyFileSync(`${userKeyFile}.pub`, path.join(dir, "authorized_keys"));
  userKey = fs.readFileSync(userKeyFile, "utf8");
  hostFingerprint = execFileSync("ssh-keygen", ["-l", "-E", "sha256", "-f", `${hostKey}.pub`], { encoding: "utf8" }).split(" ")[1]!;
  port = await freePort(HOST_IP);
  await startSshd(hostKey, port);
  exec = new SshExecutor(target(), { onHostKeyPinned: (fp) => void pinned.push(fp) });
});

afterAll(async () => {
  await exec?.close();
  await Promise.all(sshds.map((sshd) => new Promise((resolve) => sshd.once("exit", resolve).kill("SIGKILL"))));
});

/** Gone: no such process, or a zombie (orphans are reparented to an init that may not reap them). */
const processGone = (pid: number) => !fs.existsSync(`/proc/${pid}`) || / Z /.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\)/s, ""));

describe("SshExecutor", () => {
  it("pins the host key on first use", async () => {
    expect((await exec.run(["true"])).code).toBe(0);
    expect(pinned).toEqual([hostFingerprint]);
    expect(exec.hostKeyFingerprint).toBe(hostFingerprint);
    expect(exec.describe()).toBe(`ssh root@${HOST_IP}:${port}`);
  });

  it("passes nasty arguments through the remote shell unchanged", async () => {
    const echo = await exec.run(["echo", ...NASTY]);
    expect(echo).toEqual({ code: 0, stdout: `${NASTY.join(" ")}\n`, stderr: "" });
    const printf = await exec.run(["printf", "%s\\0", "first", ...NASTY]);
    expect(printf.stdout.split("\0").slice(1, -1)).toEqual(NASTY);
    expect(fs.existsSync("/tmp/hedwig-pwned")).toBe(false);
  });

  it("reports a failing command's exit code and stderr, and kills one that runs too long", async () => {
    const r = await exec.run(["ls", "/no/such/dir"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/No such file or directory/);
    await expect(runChecked(exec, ["ls", "/no/such/dir"])).rejects.toThrow(
      new RegExp(`ssh root@${HOST_IP}:${port}: ls /no/such/dir: exited with code 2: .*No such file`),
    );
    expect((await exec.run(["/no/such/program"])).code).toBe(127);
    // the whole command is killed, including what it started
    await expect(exec.run(["sh", "-c", "sleep 7.25 & sleep 7.26"], { timeoutMs: 300 })).rejects.toThrow(/sleep 7\.26: killed after 300 ms/);
    expect((await exec.run(["pgrep", "-f", "sleep 7.2[56]"])).code).toBe(1);
  });

  it("runs commands with a minimal environment plus what is asked", async () => {
    const r = await exec.run(["env"], { env: { HEDWIG_TEST: "a b'c" } });
    expect(r.stdout).toMatch(/^HEDWIG_TEST=a b'c$/m);
    expect(r.stdout).not.toMatch(/SSH_CONNECTION|DATABASE_URL/);
  });

  it("writes and reads files over SFTP, creating directories, with the mode asked", async () => {
    const file = path.join(dir, "files/deep/redis.conf");
    const content = "requirepass 'ünï\"cødé'\n$(not run)\n";
    await exec.writeFile(file, content, 0o600);
    expect(fs.readFileSync(file, "utf8")).toBe(content);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(await exec.readFile(file)).toBe(content);
    await exec.writeFile(file, "replaced\n");
    expect(await exec.readFile(file)).toBe("replaced\n");
    expect(fs.readdirSync(path.dirname(file))).toEqual(["redis.conf"]); // no temporary file left
    await exec.remove(path.join(dir, "files"));
    expect(fs.existsSync(file)).toBe(false);
    await expect(exec.readFile(file)).rejects.toThrow(new RegExp(`ssh root@${HOST_IP}:${port}: read ${file}: No such file`));
    await expect(exec.writeFile("relative/x", "x")).rejects.toThrow(/must be absolute/);
  });

  it("downloads a large binary file byte for byte over SFTP (a backup's RDB)", async () => {
    const file = path.join(dir, "dump.rdb");
    const bytes = crypto.randomBytes(9 * 1024 * 1024 + 123); // several of fastGet's parallel chunks, and a ragged end
    fs.writeFileSync(file, bytes);
    const local = path.join(dir, "downloaded.rdb");
    expect(await exec.download(file, local)).toBe(bytes.length);
    expect(fs.readFileSync(local).equals(bytes)).toBe(true);
    await expect(exec.download(path.join(dir, "missing.rdb"), local)).rejects.toThrow(new RegExp(`ssh root@${HOST_IP}:${port}: download .*missing.rdb`));
  });

  it("runs a redis-server on the host's address that outlives the SSH session", async () => {
    const redisPort = await freePort(HOST_IP);
    const home = path.join(dir, `redis/${redisPort}`);
    await exec.writeFile(`${home}/redis.conf`, redisConf(exec, HOST_IP, redisPort, home));
    const pidFile = track(`${home}/hedwig.pid`);
    const pid = await exec.startDaemon("redis", ["/usr/bin/redis-server", `${home}/redis.conf`], { pidFile, logFile: `${home}/redis.log` });
    expect(await exec.isListening(HOST_IP, redisPort, 5_000)).toBe(true);
    // a session of its own, so nothing of the SSH session's teardown reaches it
    const stat = fs
      .readFileSync(`/proc/${pid}/stat`, "utf8")
      .replace(/^.*\) /s, "")
      .split(" ");
    expect(Number(stat[3])).toBe(pid);

    await exec.close();
    const redis = new Redis({ host: HOST_IP, port: redisPort, lazyConnect: true, maxRetriesPerRequest: 0 });
    try {
      await redis.connect();
      await redis.set("owl", "over ssh");
      expect(await redis.get("owl")).toBe("over ssh");
      expect(Number(/process_id:(\d+)/.exec(await redis.info("server"))![1])).toBe(pid);
    } finally {
      redis.disconnect();
    }

    expect(await exec.stopDaemon(pidFile)).toBe(true); // over a new connection
    expect(await exec.isListening(HOST_IP, redisPort, 0)).toBe(false);
    expect(processGone(pid)).toBe(true);
    expect(fs.existsSync(pidFile)).toBe(false);
    expect(await exec.stopDaemon(pidFile)).toBe(false);
  });

  it("fails a daemon that exits at once, with its log", async () => {
    const home = path.join(dir, "broken");
    const pidFile = track(`${home}/hedwig.pid`);
    await exec.writeFile(`${home}/redis.conf`, `bind ${HOST_IP}\nport not-a-port\n`);
    await expect(exec.startDaemon("redis", ["/usr/bin/redis-server", `${home}/redis.conf`], { pidFile, logFile: `${home}/redis.log` })).rejects.toThrow(
      /start redis: exited at once; the end of .*redis\.log:[\s\S]*port/,
    );
  });

  it("refuses a host whose key changed since it was pinned", async () => {
    // the same address answering with another key, as after a reinstall or an interception
    const otherPort = await freePort(HOST_IP);
    await startSshd(keygen("other_host_key"), otherPort);
    const onHostKeyPinned = (fp: string) => void pinned.push(fp);
    const changed = new SshExecutor(target({ port: otherPort, hostKeyFingerprint: hostFingerprint }), { onHostKeyPinned });
    await expect(changed.run(["true"])).rejects.toThrow(
      new RegExp(`ssh root@${HOST_IP}:${otherPort}: connect: the host key changed: pinned ${hostFingerprint.replace(/[+/]/g, "\\$&")}, offered SHA256:`),
    );
    await changed.close();
    expect(pinned).toEqual([hostFingerprint]);

    const samePinned = new SshExecutor(target({ hostKeyFingerprint: hostFingerprint }), { onHostKeyPinned });
    expect((await samePinned.run(["true"])).code).toBe(0);
    await samePinned.close();
    expect(pinned).toEqual([hostFingerprint]);
  });

  it("names the host when the login is refused", async () => {
    const withPassword = new SshExecutor(target({ credential: { username: "root", password: "not accepted here" } }));
    await expect(withPassword.run(["true"])).rejects.toThrow(new RegExp(`ssh root@${HOST_IP}:${port}: connect: All configured authentication methods failed`));
    await withPassword.close();
  });
});
