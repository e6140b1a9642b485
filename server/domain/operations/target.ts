import { text } from "../../../lib/text";
import type { DbTx } from "../../db/client";
import { notFound } from "../errors";
import { dataDir, executorFor } from "../provisioning/deploy/executors";
import { instanceLayout } from "../provisioning/layout";
import { opsAuth } from "../credentials/store";

/** Where the demo hosts keep their files (as provisioning): the launcher sets it, tests use their own. */

export const addressOf = (i: { host: { ip: string }; port: number }) => `${i.host.ip}:${i.port}`;

/** An instance with its host's executor and the files provisioning laid out for it. */
export async function loadTarget(db: DbTx, instanceId: number) {
  const inst = await db.instance.findUnique({ where: { id: instanceId }, include: { host: true, service: true } });
  if (!inst) throw notFound(text("errors.domain.notFound.instance", { id: instanceId }));
  const exec = await executorFor(db, inst.host, dataDir());
  const layout = instanceLayout(inst.software, inst.version, inst.port);
  const address = addressOf(inst);
  // Hedwig's own login there (the service's operations user); a Memcached or Twemproxy target ignores it
  const auth = await opsAuth(db, inst.serviceId);
  return { inst, exec, layout, address, ip: inst.host.ip, port: inst.port, auth, software: inst.software, label: `${inst.software.toLowerCase()} ${address}` };
}

export type Target = Awaited<ReturnType<typeof loadTarget>>;
