import { text } from "../../../lib/text";
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
    throw badInput(text("refusals.libra.algorithm", { config: b.name, who, algorithm: b.algorithm, known: plugin.algorithms.join(", ") }));
  }
  if (plugin.lvsKinds.length === 0 && b.lvsKind) {
    throw badInput(text("refusals.libra.lvsKindOnProxy", { config: b.name, kind: b.lvsKind, who }));
  }
  if (plugin.lvsKinds.length > 0 && (!b.lvsKind || !plugin.lvsKinds.includes(b.lvsKind))) {
    throw badInput(text("refusals.libra.needsLvsKind", { config: b.name, who, kinds: plugin.lvsKinds.join(", ") }));
  }
}

export function checkHealth(plugin: LbPlugin, h: Pick<HealthCheckModel, "name" | "kind">): void {
  if (!plugin.checkKinds.includes(h.kind)) throw badInput(text("refusals.libra.checkKind", { check: h.name, who: BACKEND_NAME[plugin.backend], kind: h.kind }));
}

export function checkProtocol(plugin: LbPlugin, protocol: "TCP" | "UDP"): void {
  if (!plugin.protocols.includes(protocol)) throw badInput(text("refusals.libra.protocol", { who: BACKEND_NAME[plugin.backend], protocol }));
}

export function checkWeight(plugin: LbPlugin, weight: number): void {
  if (weight < 0 || weight > plugin.maxWeight)
    throw badInput(text("refusals.libra.weight", { weight, who: BACKEND_NAME[plugin.backend], max: plugin.maxWeight }));
}

/** DR and TUN do not rewrite the port: a member must listen on the VIP's own port. */
export function checkMemberPort(plugin: LbPlugin, lvsKind: string | null, vipPort: number | null, member: { ip: string; port: number }): void {
  if (vipPort !== null && !plugin.portMapping(lvsKind) && member.port !== vipPort) {
    throw badInput(text("refusals.libra.memberPort", { member: `${member.ip}:${member.port}`, kind: String(lvsKind), port: vipPort }));
  }
}
