import type { ApplicationModel, HealthCheckModel, PoolModel } from "../model";

/** Pools covering every check kind, algorithm family, forwarding kind and member state (renderer tests and the bench). */
const check = (id: number, kind: HealthCheckModel["kind"], extra: Partial<HealthCheckModel> = {}): HealthCheckModel => ({
  id,
  name: `${kind.toLowerCase()}-check`,
  kind,
  httpPath: null,
  expectStatus: null,
  script: null,
  intervalSeconds: 3,
  timeoutSeconds: 2,
  retries: 3,
  ...extra,
});

const TCP = check(1, "TCP");
const HTTP = check(2, "HTTP", { httpPath: "/health", expectStatus: 200, intervalSeconds: 5 });
const SSL = check(3, "SSL", { httpPath: "/", expectStatus: 204 });
const SCRIPT = check(4, "SCRIPT", { script: "/usr/local/bin/check-redis.sh", timeoutSeconds: 4 });

const app = (id: number, a: Omit<ApplicationModel, "id" | "name" | "serviceId"> & { serviceId?: number }): ApplicationModel => ({
  id,
  name: `app-${id}-demo`,
  serviceId: null,
  ...a,
});

export const HAPROXY_POOL: PoolModel = {
  id: 1,
  name: "default",
  backend: "HAPROXY",
  statsPort: 9400,
  applications: [
    app(10, {
      serviceId: 7,
      vip: { ip: "127.0.2.10", port: 22121, protocol: "TCP" },
      healthCheck: TCP,
      balance: { id: 1, name: "rr", algorithm: "rr", lvsKind: null, persistenceSeconds: 0 },
      members: [
        { id: 101, ip: "127.0.12.1", port: 6379, weight: 10, state: "ENABLED" },
        { id: 102, ip: "127.0.12.2", port: 6379, weight: 20, state: "DRAINING" },
        { id: 103, ip: "127.0.12.3", port: 6379, weight: 10, state: "DISABLED" },
      ],
    }),
    app(11, {
      vip: { ip: "127.0.2.11", port: 8080, protocol: "TCP" },
      healthCheck: HTTP,
      balance: { id: 2, name: "lc-sticky", algorithm: "lc", lvsKind: null, persistenceSeconds: 300 },
      members: [{ id: 111, ip: "127.0.12.4", port: 8080, weight: 256, state: "ENABLED" }],
    }),
    app(12, {
      vip: { ip: "127.0.2.12", port: 443, protocol: "TCP" },
      healthCheck: SSL,
      balance: { id: 3, name: "sh", algorithm: "sh", lvsKind: null, persistenceSeconds: 0 },
      members: [],
    }),
    app(13, {
      vip: { ip: "127.0.2.13", port: 22122, protocol: "TCP" },
      healthCheck: SCRIPT,
      balance: { id: 4, name: "wrr", algorithm: "wrr", lvsKind: null, persistenceSeconds: 0 },
      members: [{ id: 131, ip: "127.0.12.5", port: 22122, weight: 0, state: "ENABLED" }],
    }),
    // not served yet: no VIP
    app(14, { vip: null, healthCheck: TCP, balance: { id: 1, name: "rr", algorithm: "rr", lvsKind: null, persistenceSeconds: 0 }, members: [] }),
  ],
};

export const LVS_POOL: PoolModel = {
  id: 2,
  name: "lvs-sh",
  backend: "LVS",
  statsPort: null,
  applications: [
    app(20, {
      vip: { ip: "127.0.2.20", port: 22121, protocol: "TCP" },
      healthCheck: TCP,
      balance: { id: 5, name: "dr-wlc", algorithm: "wlc", lvsKind: "DR", persistenceSeconds: 0 },
      members: [
        { id: 201, ip: "127.0.12.1", port: 22121, weight: 100, state: "ENABLED" },
        { id: 202, ip: "127.0.12.2", port: 22121, weight: 100, state: "DRAINING" },
        { id: 203, ip: "127.0.12.3", port: 22121, weight: 100, state: "DISABLED" },
      ],
    }),
    app(21, {
      vip: { ip: "127.0.2.21", port: 80, protocol: "TCP" },
      healthCheck: HTTP,
      balance: { id: 6, name: "nat-rr", algorithm: "rr", lvsKind: "NAT", persistenceSeconds: 0 },
      members: [{ id: 211, ip: "127.0.12.4", port: 8080, weight: 1, state: "ENABLED" }],
    }),
    app(22, {
      vip: { ip: "127.0.2.22", port: 443, protocol: "TCP" },
      healthCheck: SSL,
      balance: { id: 7, name: "tun-sh", algorithm: "sh", lvsKind: "TUN", persistenceSeconds: 600 },
      members: [{ id: 221, ip: "127.0.12.5", port: 443, weight: 65535, state: "ENABLED" }],
    }),
    app(23, {
      vip: { ip: "127.0.2.23", port: 53, protocol: "UDP" },
      healthCheck: SCRIPT,
      balance: { id: 8, name: "nat-lc", algorithm: "lc", lvsKind: "NAT", persistenceSeconds: 0 },
      members: [{ id: 231, ip: "127.0.12.6", port: 5353, weight: 5, state: "ENABLED" }],
    }),
    // every member disabled: keepalived would refuse an empty virtual server
    app(24, {
      vip: { ip: "127.0.2.24", port: 6379, protocol: "TCP" },
      healthCheck: TCP,
      balance: { id: 5, name: "dr-wlc", algorithm: "wlc", lvsKind: "DR", persistenceSeconds: 0 },
      members: [{ id: 241, ip: "127.0.12.7", port: 6379, weight: 1, state: "DISABLED" }],
    }),
  ],
};

export const TARGET = { serverIp: "127.0.2.1", socketFile: "/run/hedwig-lb/1/admin.sock" };

/** A large pool for the bench: n applications × m members on distinct VIPs. */
export function largePool(backend: "HAPROXY" | "LVS", apps: number, members: number): PoolModel {
  const lvs = backend === "LVS";
  return {
    id: 99,
    name: "bench",
    backend,
    statsPort: lvs ? null : 9499,
    applications: Array.from({ length: apps }, (_, i) =>
      app(1000 + i, {
        vip: { ip: `127.0.${2 + Math.floor(i / 250)}.${(i % 250) + 1}`, port: 22121, protocol: "TCP" },
        healthCheck: TCP,
        balance: lvs
          ? { id: 5, name: "dr-wlc", algorithm: "wlc", lvsKind: "DR", persistenceSeconds: 0 }
          : { id: 1, name: "rr", algorithm: "rr", lvsKind: null, persistenceSeconds: 0 },
        members: Array.from({ length: members }, (_, j) => ({
          id: (1000 + i) * 100 + j,
          ip: `127.0.12.${j + 1}`,
          port: 22121,
          weight: 10,
          state: "ENABLED" as const,
        })),
      }),
    ),
  };
}
