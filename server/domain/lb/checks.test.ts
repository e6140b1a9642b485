import { describe, expect, it } from "vitest";
import { DomainError } from "../errors";
import { checkBalance, checkHealth, checkMemberPort, checkProtocol, checkWeight } from "./checks";
import { PLUGINS } from "./plugins";

const haproxy = PLUGINS.HAPROXY;
const lvs = PLUGINS.LVS;
const refused = (fn: () => void) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).kind).toBe("BAD_INPUT");
    return (e as Error).message;
  }
  throw new Error("expected a refusal");
};

describe("what each backend refuses", () => {
  it("HAProxy has no wlc and no LVS forwarding kinds", () => {
    expect(refused(() => checkBalance(haproxy, { name: "x", algorithm: "wlc", lvsKind: null }))).toBe('balance config x: HAProxy has no algorithm "wlc"; it knows rr, wrr, lc, sh');
    expect(refused(() => checkBalance(haproxy, { name: "x", algorithm: "rr", lvsKind: "DR" }))).toMatch(/DR is an LVS forwarding kind/);
    expect(() => checkBalance(haproxy, { name: "x", algorithm: "sh", lvsKind: null })).not.toThrow();
  });
  it("LVS needs a forwarding kind and knows wlc", () => {
    expect(refused(() => checkBalance(lvs, { name: "x", algorithm: "wlc", lvsKind: null }))).toMatch(/needs a forwarding kind \(DR, NAT, TUN\)/);
    expect(() => checkBalance(lvs, { name: "x", algorithm: "wlc", lvsKind: "DR" })).not.toThrow();
  });
  it("weights: HAProxy 0–256, LVS 0–65535", () => {
    expect(refused(() => checkWeight(haproxy, 257))).toBe("weight 257 is out of range: HAProxy takes 0–256");
    expect(() => checkWeight(lvs, 65535)).not.toThrow();
    expect(refused(() => checkWeight(lvs, 65536))).toMatch(/0–65535/);
  });
  it("UDP only on LVS; DR and TUN keep the VIP's port, NAT maps it", () => {
    expect(refused(() => checkProtocol(haproxy, "UDP"))).toMatch(/does not balance UDP/);
    expect(() => checkProtocol(lvs, "UDP")).not.toThrow();
    expect(refused(() => checkMemberPort(lvs, "DR", 22121, { ip: "127.0.12.1", port: 6379 }))).toMatch(/listen on the VIP's port 22121/);
    expect(refused(() => checkMemberPort(lvs, "TUN", 22121, { ip: "127.0.12.1", port: 6379 }))).toMatch(/TUN/);
    expect(() => checkMemberPort(lvs, "NAT", 22121, { ip: "127.0.12.1", port: 6379 })).not.toThrow();
    expect(() => checkMemberPort(haproxy, null, 22121, { ip: "127.0.12.1", port: 6379 })).not.toThrow();
    expect(() => checkHealth(haproxy, { name: "s", kind: "SCRIPT" })).not.toThrow();
  });
});
