import type { Db } from "../../db/client";
import type { Actor } from "../access/actor";
import { recordAudit } from "../audit/record";
import { opsAuth } from "../credentials/store";
import { notFound, precondition } from "../errors";
import { dataDir, executorFor } from "../provisioning/deploy/executors";
import { instanceLayout } from "../provisioning/layout";
import { configDrift, driftText, parseRedisConf } from "./checks";
import { configCommand, connectRedis } from "./run";
import { text } from "../../../lib/text";

/**
 * The one-click fix of a drifted configuration: Hedwig's rendered file is the truth, so each key
 * whose running value differs is put back with CONFIG SET (no restart, nothing else touched), then
 * read again to confirm. Other findings have no safe fix and are refused.
 */
export async function fixFinding(db: Db, actor: Actor, findingId: number) {
  const f = await db.inspectionFinding.findUnique({ where: { id: findingId } });
  if (!f) throw notFound(text("refusals.notFound.finding", { id: findingId }));
  if (!f.fixable || f.code !== "configDrift" || f.instanceId === null) throw precondition(text("refusals.inspections.noFix", { id: findingId, check: f.code }));
  if (f.fixedAt) throw precondition(text("refusals.inspections.alreadyFixed", { id: findingId, at: f.fixedAt.toISOString() }));
  const inst = await db.instance.findUnique({ where: { id: f.instanceId }, include: { host: true, service: { select: { name: true } } } });
  if (!inst) throw notFound(text("refusals.notFound.instance", { id: f.instanceId }));
  const exec = await executorFor(db, inst.host, dataDir());
  const file = parseRedisConf(await exec.readFile(instanceLayout("REDIS", inst.version, inst.port).confFile));
  const c = connectRedis(inst.host.ip, inst.port, await opsAuth(db, inst.serviceId));
  const where = `${inst.host.ip}:${inst.port}`;
  let applied: [string, string, string][];
  try {
    await c.connect();
    const config = await configCommand(db, inst.serviceId, inst.version, new Map());
    const running = async () => {
      const flat = (await c.call(config, "get", "*")) as string[];
      const out: Record<string, string> = {};
      for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i]!] = flat[i + 1]!;
      return out;
    };
    applied = configDrift(file, await running());
    for (const [key, , value] of applied) await c.call(config, "set", key, value);
    const left = configDrift(file, await running());
    if (left.length) throw precondition(text("refusals.inspections.stillDrifts", { address: where, drift: driftText(left) }));
  } finally {
    c.disconnect();
  }
  await db.$transaction(async (tx) => {
    await tx.inspectionFinding.update({ where: { id: f.id }, data: { fixedAt: new Date(), fixedById: actor.id } });
    await recordAudit(tx, actor, {
      action: "inspection.fix",
      entityType: "Instance",
      entityId: inst.id,
      text: applied.length
        ? text("auditLog.inspections.fix", { service: inst.service.name, address: where, drift: driftText(applied) })
        : text("auditLog.inspections.fixNothing", { service: inst.service.name, address: where }),
      after: { findingId: f.id, keys: applied.map(([k]) => k) },
    });
  });
  return { keys: applied.map(([k, now, file]) => ({ key: k, was: now, now: file })) };
}
