import type { InstanceRole, Software } from "../../../generated/prisma/enums";
import type { DbTx } from "../../db/client";
import { loadServiceSecrets } from "../credentials/store";
import type { Executor } from "../executors/executor";
import { localRuntimeSocketsGlob } from "../lb/deploy";
import { linkDemoBinary } from "../provisioning/deploy/commands";
import { dataDir, executorFor } from "../provisioning/deploy/executors";
import { buildTopology, type Deployable, type Placed } from "../provisioning/deploy/topology";
import type { Persistence, RequestForm } from "../provisioning/request-schema";
import type { Plan } from "../provisioning/sizing";
import type { ServiceParams } from "./params-catalog";

/** A service's configuration as it stands: the latest version, or the deployment's own (version 0). */
export type ConfigState = { number: number; params: ServiceParams; persistence: Persistence };

export async function currentConfig(db: DbTx, serviceId: number): Promise<ConfigState> {
  const latest = await db.serviceConfigVersion.findFirst({ where: { serviceId }, orderBy: { number: "desc" } });
  if (latest) return { number: latest.number, params: latest.params as ServiceParams, persistence: latest.persistence as Persistence };
  return baseConfig(db, serviceId);
}

/** Version 0: what the deployment rendered, with the persistence the request asked for. */
export async function baseConfig(db: DbTx, serviceId: number): Promise<ConfigState> {
  const request = await db.resourceRequest.findFirst({ where: { serviceId }, select: { form: true } });
  return { number: 0, params: {}, persistence: (request?.form as RequestForm | undefined)?.persistence ?? "none" };
}

export type RenderedInstance = Deployable & { instanceId: number; exec: Executor };

/**
 * Every instance's files as a redeploy writes them now: the renderers of provisioning fed from the
 * catalogue (who is master of which shard, each instance's version and maxmemory) and the service's
 * configuration (its parameters and persistence; `config` overrides it, e.g. the one being applied).
 */
export async function renderService(db: DbTx, serviceId: number, config?: ConfigState): Promise<RenderedInstance[]> {
  const service = await db.service.findUniqueOrThrow({
    where: { id: serviceId },
    include: { instances: { include: { host: true }, orderBy: { id: "asc" } }, request: { select: { plan: true } } },
  });
  const cfg = config ?? (await currentConfig(db, serviceId));
  const insts = service.instances;
  const indexIn = (i: (typeof insts)[number]) =>
    insts.filter((x) => x.role === i.role && (i.role === "PROXY" || i.role === "SENTINEL" || x.shardIndex === i.shardIndex)).indexOf(i);
  const placed: (Placed & { instanceId: number })[] = insts.map((i) => ({
    instanceId: i.id,
    role: i.role as InstanceRole,
    software: i.software,
    shardIndex: i.shardIndex ?? 0,
    replicaIndex: indexIn(i),
    hostId: i.hostId,
    ip: i.host.ip,
    port: i.port,
    version: i.version,
    maxmemoryMb: i.maxmemoryMb,
  }));
  const executors = new Map<string, Executor>();
  for (const i of insts) if (!executors.has(i.host.ip)) executors.set(i.host.ip, await executorFor(db, i.host, dataDir()));
  const versions = Object.fromEntries(insts.map((i) => [i.software, i.version])) as Record<Software, string>;
  const plan = service.request?.plan as unknown as Plan | undefined;
  const sentinels = insts.filter((i) => i.role === "SENTINEL").length;
  const all = buildTopology({
    service: service.name,
    kind: service.kind,
    persistence: cfg.persistence,
    perShardMemoryMb: insts.find((i) => i.maxmemoryMb)?.maxmemoryMb ?? 1,
    sentinelQuorum: plan?.sentinelQuorum || Math.floor(sentinels / 2) + 1,
    versions,
    placed,
    resolve: (ip, hostPath) => executors.get(ip)!.resolve(hostPath),
    lbSocketsGlob: localRuntimeSocketsGlob(),
    runAsUser: process.getuid?.() === 0 ? "root" : null,
    credentials: await loadServiceSecrets(db, serviceId),
    params: cfg.params,
  });
  return all.map((d, k) => ({ ...d, instanceId: placed[k]!.instanceId, exec: executors.get(d.ip)! }));
}

/**
 * Writes the rendered files of these instances (every one when none are named), as a redeploy
 * would: the binary linked under its versioned path on a demo host, the config, a Sentinel's
 * follow-failover script. A Sentinel's own sentinel.conf is left: Sentinel rewrites it itself (its
 * epochs, the replicas and Sentinels it found) and SENTINEL SET changed it already.
 */
export async function writeRendered(
  db: DbTx,
  serviceId: number,
  /** sentinelConf: Sentinels stopped all together (a version switch) start again from a fresh sentinel.conf */
  opts: { instanceIds?: number[]; config?: ConfigState; sentinelConf?: boolean } = {},
): Promise<RenderedInstance[]> {
  const all = await renderService(db, serviceId, opts.config);
  const chosen = all.filter((d) => !opts.instanceIds || opts.instanceIds.includes(d.instanceId));
  for (const d of chosen) {
    for (const dir of d.layout.dirs) await d.exec.mkdirp(dir);
    await linkDemoBinary(d.exec, d.software, d.layout);
    if (d.role !== "SENTINEL" || opts.sentinelConf) await d.exec.writeFile(d.layout.confFile, d.conf);
    if (d.script) await d.exec.writeFile(d.script.path, d.script.text, 0o755);
  }
  return chosen;
}
