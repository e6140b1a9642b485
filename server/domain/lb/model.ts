import type { LbBackend, LbCheckKind, LbMemberState, LbProtocol } from "../../../generated/prisma/enums";

/**
 * What a backend plugin renders: a pool's whole configuration as plain data. A version keeps the
 * model it was rendered from, so a rollback restores the model and the next render agrees.
 */
export type HealthCheckModel = {
  id: number;
  name: string;
  kind: LbCheckKind;
  httpPath: string | null;
  expectStatus: number | null;
  script: string | null;
  intervalSeconds: number;
  timeoutSeconds: number;
  retries: number;
};

export type BalanceModel = { id: number; name: string; algorithm: string; lvsKind: string | null; persistenceSeconds: number };

export type MemberModel = { id: number; ip: string; port: number; weight: number; state: LbMemberState };

export type ApplicationModel = {
  id: number;
  name: string;
  serviceId: number | null;
  vip: { ip: string; port: number; protocol: LbProtocol } | null;
  healthCheck: HealthCheckModel;
  balance: BalanceModel;
  members: MemberModel[];
};

export type PoolModel = {
  id: number;
  name: string;
  backend: LbBackend;
  statsPort: number | null;
  applications: ApplicationModel[];
};

/** What differs between the servers of one pool: the address the runtime API listens on, and the master socket's path as the server sees it. */
export type RenderTarget = { serverIp: string; socketFile: string };

/** The name HAProxy and the runtime API know an application's proxy and a member's server by. */
export const proxyName = (app: { id: number }) => `app-${app.id}`;
export const serverName = (m: { id: number }) => `m-${m.id}`;
