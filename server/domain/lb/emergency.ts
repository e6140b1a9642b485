import { text } from "../../../lib/text";
import type { Db } from "../../db/client";
import type { Actor } from "../access/actor";
import { precondition } from "../errors";
import { runtimeSocket, serverExecutor } from "./deploy";
import { runtimeCommand } from "./haproxy-runtime";
import { proxyName, serverName } from "./model";
import { RunLog } from "./run-log";
import type { MemberUpdate } from "./schemas";
import { memberContext, updateMember } from "./store";

type Changed = Awaited<ReturnType<typeof updateMember>>;

const HAPROXY_STATE = { ENABLED: "ready", DRAINING: "drain", DISABLED: "maint" } as const;

/** The runtime API commands that make one HAProxy server what the database now says. */
export function haproxyCommands(c: Pick<Changed, "app" | "member">): string[] {
  const target = `${proxyName(c.app)}/${serverName(c.member)}`;
  // drain keeps the configured weight for when the member is back; the state alone stops new connections
  return [`set weight ${target} ${c.member.weight}`, `set server ${target} state ${HAPROXY_STATE[c.member.state]}`];
}

/** The ipvsadm command LVS would run: -e edits a real server; a disabled one is deleted (-d) from the virtual service. */
export function ipvsadmCommand(c: Pick<Changed, "app" | "member">): string[] {
  const vip = c.app.vip!;
  const service = [vip.protocol === "UDP" ? "-u" : "-t", `${vip.ip}:${vip.port}`];
  const real = ["-r", `${c.member.ip}:${c.member.port}`];
  if (c.member.state === "DISABLED") return ["ipvsadm", "-d", ...service, ...real];
  const kind = { DR: "-g", NAT: "-m", TUN: "-i" }[c.app.balanceConfig.lvsKind ?? "DR"] ?? "-g";
  return ["ipvsadm", "-e", ...service, ...real, kind, "-w", String(c.member.state === "DRAINING" ? 0 : c.member.weight)];
}

/**
 * The emergency path: records the member's new weight or state (so the next sync renders the
 * same), then applies it on every load-balancer server at once, without a reload. Its log is a
 * sync run of its own. Returns the run, and whether every server took it.
 */
export async function emergencyMember(db: Db, actor: Actor, u: MemberUpdate) {
  const { app } = await memberContext(db, u.memberId);
  if (!app.vip) throw precondition(text("refusals.libra.emergencyNoVip", { app: app.name }));
  const changed = await updateMember(db, actor, u, true);
  const servers = await db.lbServer.findMany({ where: { poolId: changed.pool.id }, orderBy: { id: "asc" } });
  const log = await RunLog.open(db, changed.pool.id, "emergency");
  await log.info(
    text("libraLog.emergency.start", {
      user: actor.username,
      app: changed.app.name,
      member: `${changed.member.ip}:${changed.member.port}`,
      weight: changed.member.weight,
      state: changed.member.state.toLowerCase(),
    }),
  );
  let failed = 0;
  for (const s of servers) {
    try {
      if (changed.pool.backend === "HAPROXY") {
        for (const cmd of haproxyCommands(changed)) {
          const answer = await runtimeCommand(runtimeSocket(changed.pool, s), cmd);
          if (answer) throw new Error(`${cmd}: ${answer}`);
          await log.info(`${s.ip}: ${cmd}`);
        }
      } else {
        const argv = ipvsadmCommand(changed);
        const r = await serverExecutor(s).run(argv, { timeoutMs: 10_000 });
        if (r.code !== 0) throw new Error(`${argv.join(" ")}: ${(r.stderr || r.stdout).trim() || `exit ${r.code}`}`);
        await log.info(`${s.ip}: ${argv.join(" ")}`);
      }
    } catch (e) {
      failed++;
      await log.error(`${s.ip}: ${(e as Error).message}`);
    }
  }
  const ok = failed === 0;
  await log.finish(
    ok ? "SUCCEEDED" : "FAILED",
    ok ? {} : { error: `${failed} of ${servers.length} server(s) did not take the change at once; the next sync applies it` },
  );
  return { runId: log.runId, ok, member: changed.member };
}
