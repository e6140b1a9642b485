import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureLibraTemplates } from "../../server/db/seed/libra";
import type { Actor } from "../../server/domain/access/actor";
import { stopHaproxy } from "../../server/domain/lb/deploy";
import { createApplication, createPool } from "../../server/domain/lb/store";
import { syncPool } from "../../server/domain/lb/sync";
import { freshDatabase, makeActor } from "./db";
import { useDemoDataDir } from "./demo-fleet";

/**
 * A reload that fails after the file passed `haproxy -c`: a new VIP on an address:port another
 * process (unknown to Hedwig) already holds. The old worker keeps serving, the file on disk is the
 * live one again, and every DBA gets a notice.
 */
const { db } = await freshDatabase();
const data = useDemoDataDir("libra-restore");
const SERVER = { ip: "127.0.104.60", executor: "LOCAL" as const };
const BLOCKED = { ip: "127.0.104.62", port: 17102 };
let dba: Actor;
let poolId: number;
let blocker: net.Server;

const liveFile = () => fs.readFileSync(path.join(data.dir, "hosts", SERVER.ip, "etc/hedwig-lb/restore-pool/haproxy.cfg"), "utf8");

beforeAll(async () => {
  await ensureLibraTemplates(db);
  dba = await makeActor(db, "DBA");
  poolId = (
    await createPool(db, dba, {
      name: "restore-pool",
      backend: "HAPROXY",
      description: "",
      statsPort: 19472,
      vipRange: "127.0.104.61-127.0.104.69",
      servers: [SERVER],
    })
  ).id;
  blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(BLOCKED.port, BLOCKED.ip, resolve));
});

afterAll(async () => {
  await stopHaproxy({ id: poolId }, SERVER).catch(() => {});
  blocker?.close();
  data.restore();
});

async function app(name: string, vip: { ip: string; port: number }) {
  const health = await db.lbHealthCheck.findUniqueOrThrow({ where: { name: "tcp-default" } });
  const balance = await db.lbBalanceConfig.findUniqueOrThrow({ where: { name: "rr-default" } });
  return createApplication(db, dba, {
    poolId,
    name,
    serviceId: null,
    healthCheckId: health.id,
    balanceConfigId: balance.id,
    vip: { ...vip, protocol: "TCP" },
    members: [],
  });
}

describe("a reload that fails", () => {
  it("restores the live file on disk and opens a notice for DBAs", { timeout: 60_000 }, async () => {
    await app("restore-a", { ip: "127.0.104.61", port: 17101 });
    expect((await syncPool(db, poolId, "apply", dba.username)).status).toBe("SUCCEEDED");
    const v1 = liveFile();
    expect(v1).toContain("127.0.104.61:17101");

    await app("restore-b", BLOCKED);
    const r = await syncPool(db, poolId, "apply", dba.username);
    expect(r.status).toBe("FAILED");
    expect(liveFile()).toBe(v1);
    expect(await db.lbVersion.count({ where: { poolId } })).toBe(1);
    const run = await db.lbSyncRun.findUniqueOrThrow({ where: { id: r.runId! } });
    expect(JSON.stringify(run)).toMatch(/is the live file again/);
    const notices = await db.notification.findMany({ where: { userId: dba.id } });
    expect(notices).toEqual([expect.objectContaining({ title: expect.stringMatching(/restore-pool: the sync failed/), link: `/libra/pools/${poolId}` })]);
    // the old worker still serves the first VIP
    const still = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: "127.0.104.61", port: 17101 }, () => (s.destroy(), resolve(true)));
      s.on("error", () => resolve(false));
    });
    expect(still).toBe(true);
  });
});
