import { describe, expect, it } from "vitest";
import { DomainError } from "../errors";
import { checkBalance, checkHealth, checkMemberPort, checkProtocol, checkWeight } from "./checks";
import { PLUGINS } from "./plugins";

const haproxy = PLUGINS.HAPROXY;
const lvs = PLUGINS.LVS;
describe("what each backend refuses", () => {
  it("HAProxy has no wlc and no LVS forwarding kinds", () => {
    expect(() => checkBalance(haproxy, { name: "x", algorithm: "wlc", lvsKind: null })).toThrow(DomainError);
    expect(() => checkBalance(haproxy, { name: "x", algorithm: "wlc", lvsKind: null })).toThrow(
      'balance config x: HAProxy has no algorithm "wlc"; it knows rr, wrr, lc, sh',
    );
    expect(() => checkBalance(haproxy, { name: "x", algorithm: "rr", lvsKind: "DR" })).toThrow(/DR is an LVS forwarding kind/);
    expect(() => checkBalance(haproxy, { name: "x", algorithm: "sh", lvsKind: null })).not.toThrow();
  });
  it("LVS needs a forwarding kind and knows wlc", () => {
    expect(() => checkBalance(lvs, { name: "x", algorithm: "wlc", lvsKind: null })).toThrow(/needs a forwarding kind \(DR, NAT, TUN\)/);
    expect(() => checkBalance(lvs, { name: "x", algorithm: "wlc", lvsKind: "DR" })).not.toThrow();
  });
  it("weights: HAProxy 0–256, LVS 0–65535", () => {
    expect(() => checkWeight(haproxy, 257)).toThrow("weight 257 is out of range: HAProxy takes 0–256");
    expect(() => checkWeight(lvs, 65535)).not.toThrow();
    expect(() => checkWeight(lvs, 65536)).toThrow(/0–65535/);
  });
  it("UDP only on LVS; DR and TUN keep the VIP's port, NAT maps it", () => {
    expect(() => checkProtocol(haproxy, "UDP")).toThrow(/does not balance UDP/);
    expect(() => checkProtocol(lvs, "UDP")).not.toThrow();
    expect(() => checkMemberPort(lvs, "DR", 22121, { ip: "127.0.12.1", port: 6379 })).toThrow(/listen on the VIP's port 22121/);
    expect(() => checkMemberPort(lvs, "TUN", 22121, { ip: "127.0.12.1", port: 6379 })).toThrow(/TUN/);
    expect(() => checkMemberPort(lvs, "NAT", 22121, { ip: "127.0.12.1", port: 6379 })).not.toThrow();
    expect(() => checkMemberPort(haproxy, null, 22121, { ip: "127.0.12.1", port: 6379 })).not.toThrow();
    expect(() => checkHealth(haproxy, { name: "s", kind: "SCRIPT" })).not.toThrow();
  });
});
