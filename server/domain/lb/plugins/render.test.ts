import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { validateConfig } from "../validate";
import { HAPROXY_POOL, LVS_POOL, TARGET } from "./fixtures";
import { haproxyPlugin } from "./haproxy";
import { keepalivedPlugin } from "./keepalived";

const GOLDEN = path.join(__dirname, "golden");

/** Compares with the golden file; UPDATE_GOLDEN=1 rewrites it (read the diff before committing). */
function golden(name: string, text: string) {
  const file = path.join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN === "1") fs.writeFileSync(file, text);
  expect(text).toBe(fs.readFileSync(file, "utf8"));
}

describe("HAProxy renderer", () => {
  const text = haproxyPlugin.render(HAPROXY_POOL, TARGET);
  it("renders the golden file", () => golden("haproxy.cfg", text));
  it("passes haproxy -c", async () => expect(await validateConfig(haproxyPlugin, text)).toMatchObject({ ok: true }));
  it("says draining as weight 0 and disabled as disabled, and skips an application without a VIP", () => {
    expect(text).toContain("server m-102 127.0.12.2:6379 weight 0 check\n");
    expect(text).toContain("server m-103 127.0.12.3:6379 weight 10 check disabled");
    expect(text).not.toContain("app-14");
  });
  it("is deterministic whatever the order of rows", () => {
    const shuffled = { ...HAPROXY_POOL, applications: [...HAPROXY_POOL.applications].reverse().map((a) => ({ ...a, members: [...a.members].reverse() })) };
    expect(haproxyPlugin.render(shuffled, TARGET)).toBe(text);
  });
});

describe("keepalived renderer", () => {
  const text = keepalivedPlugin.render(LVS_POOL, TARGET);
  it("renders the golden file", () => golden("keepalived.conf", text));
  it("passes keepalived -t -e", async () => expect(await validateConfig(keepalivedPlugin, text)).toMatchObject({ ok: true }));
  it("leaves disabled members and empty virtual servers out", () => {
    expect(text).not.toContain("127.0.12.3 22121");
    expect(text).toContain("! not served: no member of 127.0.2.24:6379 is enabled");
  });
});

describe("the real validators refuse bad files", () => {
  it("haproxy -c: an unknown balance algorithm", async () => {
    const bad = haproxyPlugin.render(HAPROXY_POOL, TARGET).replace("balance leastconn", "balance wlc");
    const v = await validateConfig(haproxyPlugin, bad);
    expect(v.ok).toBe(false);
    expect(v.output).toMatch(/balance only supports/);
  });
  it("keepalived -t: an unknown scheduler is only a warning to keepalived, and a failure to Hedwig", async () => {
    const bad = keepalivedPlugin.render(LVS_POOL, TARGET).replace("lb_algo wlc", "lb_algo bogus");
    const v = await validateConfig(keepalivedPlugin, bad);
    expect(v.ok).toBe(false);
    expect(v.output).toMatch(/Invalid lvs_scheduler 'bogus'/);
  });
  it("keepalived -t: DR with a port that differs from the VIP's", async () => {
    const bad = keepalivedPlugin.render(LVS_POOL, TARGET).replace("real_server 127.0.12.1 22121", "real_server 127.0.12.1 6379");
    expect((await validateConfig(keepalivedPlugin, bad)).ok).toBe(false);
  });
});
