import { badInput } from "../errors";
import type { BalanceModel, HealthCheckModel } from "./model";
import type { LbPlugin } from "./plugins";

const BACKEND_NAME = { HAPROXY: "HAProxy", LVS: "LVS (keepalived)" } as const;

/**
 * What the pool's backend cannot do is refused here, with the reason and what it can do instead.
 * Pure: the store calls it before writing, so nothing half-written is left behind.
 */
export function checkBalance(plugin: LbPlugin, b: Pick<BalanceModel, "name" | "algorithm" | "lvsKind">): void {
  const who = BACKEND_NAME[plugin.backend];
  if (!plugin.algorithms.includes(b.algorithm)) {
    throw badInput(`balance config ${b.name}: ${who} has no algorithm "${b.algorithm}"; it knows ${plugin.algorithms.join(", ")}`);
  }
  if (plugin.lvsKinds.length === 0 && b.lvsKind) {
    throw badInput(
      `balance config ${b.name}: ${b.lvsKind} is an LVS forwarding kind; ${who} forwards as a proxy, so pick a balance config without an LVS kind`,
    );
  }
  if (plugin.lvsKinds.length > 0 && (!b.lvsKind || !plugin.lvsKinds.includes(b.lvsKind))) {
    throw badInput(`balance config ${b.name}: ${who} needs a forwarding kind (${plugin.lvsKinds.join(", ")})`);
  }
}

export function checkHealth(plugin: LbPlugin, h: Pick<HealthCheckModel, "name" | "kind">): void {
  if (!plugin.checkKinds.includes(h.kind)) throw badInput(`health check ${h.name}: ${BACKEND_NAME[plugin.backend]} cannot run ${h.kind} checks`);
}

export function checkProtocol(plugin: LbPlugin, protocol: "TCP" | "UDP"): void {
  if (!plugin.protocols.includes(protocol)) throw badInput(`${BACKEND_NAME[plugin.backend]} does not balance ${protocol}; use an LVS pool for ${protocol}`);
}

export function checkWeight(plugin: LbPlugin, weight: number): void {
  if (weight < 0 || weight > plugin.maxWeight) throw badInput(`weight ${weight} is out of range: ${BACKEND_NAME[plugin.backend]} takes 0–${plugin.maxWeight}`);
}

/** DR and TUN do not rewrite the port: a member must listen on the VIP's own port. */
export function checkMemberPort(plugin: LbPlugin, lvsKind: string | null, vipPort: number | null, member: { ip: string; port: number }): void {
  if (vipPort !== null && !plugin.portMapping(lvsKind) && member.port !== vipPort) {
    throw badInput(`member ${member.ip}:${member.port}: with ${lvsKind} forwarding a member must listen on the VIP's port ${vipPort}`);
  }
}
