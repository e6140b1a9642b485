import type { InstanceRole, ServiceKind, Software } from "../../../../generated/prisma/enums";
import { renderMemcachedArgs } from "../configs/memcached-args";
import { renderNutcrackerYml } from "../configs/nutcracker-yml";
import { renderRedisConf } from "../configs/redis-conf";
import { renderFollowFailoverSh } from "../configs/follow-failover-sh";
import { DEFAULT_SENTINEL_TIMINGS, renderSentinelConf, TWEMPROXY_SENTINEL_TIMINGS } from "../configs/sentinel-conf";
import type { ServiceParams } from "../../daytwo/params-catalog";
import { memcachedOptionsOf, nutcrackerOptionsOf, sentinelTimingsOf } from "../../daytwo/render-params";
import { instanceLayout, type InstanceLayout } from "../layout";
import { STATS_PORT_OFFSET, twemproxyArgs } from "./commands";
import type { Persistence } from "../request-schema";
import type { ServiceSecrets } from "../../credentials/model";
import { text } from "../../../../lib/text";
import { precondition } from "../../errors";

/** One instance as placed by the scheduler. */
export type Placed = {
  role: InstanceRole;
  software: Software;
  shardIndex: number;
  replicaIndex: number;
  hostId: number;
  ip: string;
  port: number;
  /** this instance's own version (a rolling upgrade is half done); the service's otherwise */
  version?: string;
  /** this instance's own maxmemory (a DBA changed it); the plan's per-shard memory otherwise */
  maxmemoryMb?: number | null;
};

export type Deployable = Placed & {
  version: string;
  layout: InstanceLayout;
  /** argv after the binary; host paths, resolved by the executor when run */
  args: string[];
  conf: string;
  maxmemoryMb: number | null;
  /** Twemproxy's stats port (the stats JSON monitoring reads) */
  statsPort?: number;
  /** an executable file written beside the config: a Sentinel's client-reconfig-script (host path) */
  script?: { path: string; text: string };
};

export type TopologyInput = {
  service: string;
  kind: ServiceKind;
  persistence: Persistence;
  perShardMemoryMb: number;
  sentinelQuorum: number;
  versions: Record<Software, string>;
  placed: Placed[];
  /** the executor's path mapping: configs carry the paths the host's processes see */
  resolve: (ip: string, hostPath: string) => string;
  /** where the runtime API sockets of the load balancers on this machine are (a glob): a proxy is drained in them around its restart */
  lbSocketsGlob: string;
  /** memcached refuses to run as root without -u */
  runAsUser: string | null;
  /** the service's users; null for Memcached, which has none */
  credentials: ServiceSecrets | null;
  /** the DBA's parameters (the service's configuration version); none at the first deployment */
  params?: ServiceParams;
};

/**
 * Every instance of a service with its layout, its command line and its config file, from where
 * the scheduler put it. Pure: the deploy steps write and start what this returns.
 */
export function buildTopology(t: TopologyInput): Deployable[] {
  const withLayout = (p: Placed) => {
    const version = p.version ?? t.versions[p.software];
    const layout = instanceLayout(p.software, version, p.port);
    const r = (hostPath: string) => t.resolve(p.ip, hostPath);
    return { version, layout, paths: { dataDir: r(layout.dataDir), logFile: r(layout.logFile), pidFile: r(layout.pidFile) }, r };
  };
  const masters = t.placed.filter((p) => p.role === "MASTER");
  const masterOf = (shard: number) => masters.find((m) => m.shardIndex === shard)!;
  const dataNodes = t.placed.filter((p) => p.role === "MASTER" || p.role === "REPLICA" || p.role === "CACHE");
  const credentials = () => {
    if (!t.credentials) throw precondition(text("jobErrors.provision.noCredentials", { service: t.service }));
    return t.credentials;
  };
  return t.placed.map((p): Deployable => {
    const { version, layout, paths, r } = withLayout(p);
    const memoryMb = p.maxmemoryMb ?? t.perShardMemoryMb;
    const title = `${t.service} ${p.role.toLowerCase()} ${p.role === "PROXY" || p.role === "SENTINEL" ? p.replicaIndex : `shard ${p.shardIndex}`}`;
    switch (p.role) {
      case "MASTER":
      case "REPLICA": {
        const master = p.role === "REPLICA" ? masterOf(p.shardIndex) : null;
        const conf = renderRedisConf({
          title,
          version,
          bind: p.ip,
          port: p.port,
          paths,
          maxmemoryMb: memoryMb,
          persistence: t.persistence,
          replicaOf: master ? { ip: master.ip, port: master.port } : null,
          credentials: credentials(),
          ...(t.params?.REDIS ? { params: t.params.REDIS } : {}),
        });
        return { ...p, version, layout, conf, args: [r(layout.confFile)], maxmemoryMb: memoryMb };
      }
      case "SENTINEL": {
        // Beside a proxy (shards behind Twemproxy), the Sentinel also makes that proxy follow.
        const proxy = t.kind === "REDIS_TWEMPROXY" ? t.placed.find((x) => x.role === "PROXY" && x.ip === p.ip) : undefined;
        const script = proxy ? followFailoverScript(t, layout, proxy) : undefined;
        const conf = renderSentinelConf({
          title,
          version,
          credentials: credentials(),
          bind: p.ip,
          port: p.port,
          paths,
          masters: masters.map((m) => ({ name: masters.length === 1 ? t.service : `${t.service}-${m.shardIndex}`, ip: m.ip, port: m.port })),
          quorum: t.sentinelQuorum,
          timings: sentinelTimingsOf(script ? TWEMPROXY_SENTINEL_TIMINGS : DEFAULT_SENTINEL_TIMINGS, t.params?.REDIS_SENTINEL),
          ...(script ? { clientReconfigScript: r(script.path) } : {}),
        });
        return { ...p, version, layout, conf, args: [r(layout.confFile)], maxmemoryMb: null, ...(script ? { script } : {}) };
      }
      case "CACHE": {
        const args = renderMemcachedArgs({ bind: p.ip, port: p.port, memoryMb, ...memcachedOptionsOf(t.params?.MEMCACHED), user: t.runAsUser });
        return { ...p, version, layout, conf: `${args.join("\n")}\n`, args, maxmemoryMb: memoryMb };
      }
      case "PROXY": {
        const redis = t.kind === "REDIS_TWEMPROXY";
        const servers = dataNodes
          .filter((n) => (redis ? n.role === "MASTER" : n.role === "CACHE"))
          .sort((a, b) => a.shardIndex - b.shardIndex)
          .map((n) => ({ name: `${t.service}-${n.shardIndex}`, ip: n.ip, port: n.port, weight: 1 }));
        const conf = renderNutcrackerYml({
          pool: t.service,
          listen: { ip: p.ip, port: p.port },
          redis,
          servers,
          options: nutcrackerOptionsOf(t.params?.TWEMPROXY),
          ...(redis ? { redisAuth: credentials().APP.passwords[0]! } : {}),
        });
        return { ...p, version, layout, conf, args: twemproxyArgs(r(layout.confFile), p.ip, p.port), maxmemoryMb: null, statsPort: p.port + STATS_PORT_OFFSET };
      }
    }
  });
}

/** The script a Sentinel runs after a failover to rewrite and restart the proxy on its host. */
function followFailoverScript(t: TopologyInput, sentinel: InstanceLayout, proxy: Placed): { path: string; text: string } {
  const layout = instanceLayout(proxy.software, proxy.version ?? t.versions[proxy.software], proxy.port);
  const r = (hostPath: string) => t.resolve(proxy.ip, hostPath);
  const text = renderFollowFailoverSh({
    title: `${t.service} proxy ${proxy.replicaIndex}: follow Sentinel's failovers`,
    proxy: {
      ip: proxy.ip,
      port: proxy.port,
      confFile: r(layout.confFile),
      pidFile: r(layout.pidFile),
      logFile: r(layout.logFile),
      argv: [r(layout.binary), ...twemproxyArgs(r(layout.confFile), proxy.ip, proxy.port)],
    },
    staggerSeconds: proxy.replicaIndex * PROXY_RESTART_STAGGER_S,
    lbSocketsGlob: t.lbSocketsGlob,
  });
  return { path: sentinel.confFile.replace(/\.conf$/, ".follow-failover.sh"), text };
}

/** Apart enough that one proxy is back (it preconnects to its shards) before the next goes down. */
const PROXY_RESTART_STAGGER_S = 0.5;

/** Where clients connect: the proxies, the Sentinels (asking for the master by name), or the single node. */
export function entryOf(kind: ServiceKind, all: Deployable[]): { host: string; port: number; via: string } {
  const first = (role: InstanceRole) => all.find((d) => d.role === role);
  const proxy = first("PROXY");
  if (proxy) return { host: proxy.ip, port: proxy.port, via: "twemproxy" };
  if (kind === "REDIS_SENTINEL") {
    const m = first("MASTER")!;
    // names, not a sentence: it shows on the delivery card in either language
    return { host: m.ip, port: m.port, via: "master + Sentinel" };
  }
  const node = first("MASTER") ?? first("CACHE")!;
  return { host: node.ip, port: node.port, via: node.role === "CACHE" ? "memcached" : "redis" };
}
