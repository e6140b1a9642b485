import { describe, expect, it } from "vitest";
import { demoNet } from "./demo-net";

describe("demo address plan", () => {
  it("keeps today's plan by default: hosts 127.0.1.x then 127.0.3.x, Libra on 127.0.2.x", () => {
    const net = demoNet(undefined);
    expect([net.hostIp(0), net.hostIp(239), net.hostIp(253), net.hostIp(254)]).toEqual(["127.0.1.1", "127.0.1.240", "127.0.1.254", "127.0.3.1"]);
    expect(net.lbServerIp).toBe("127.0.2.1");
    expect(net.vipRange).toBe("127.0.2.10-127.0.2.250");
  });

  it("moves hosts and VIPs together to another block", () => {
    for (const spec of ["127.1", "127.1.0.0/16"]) {
      const net = demoNet(spec);
      expect(net.hostIp(4)).toBe("127.1.1.5");
      expect(net.lbServerIp).toBe("127.1.2.1");
      expect(net.vipRange).toBe("127.1.2.10-127.1.2.250");
    }
  });

  it("refuses what is not a loopback /16, and the benchmark fleets' blocks", () => {
    expect(() => demoNet("10.0")).toThrow(/not a loopback \/16/);
    expect(() => demoNet("127.0.1")).toThrow(/not a loopback \/16/);
    expect(() => demoNet("127.256")).toThrow(/not a loopback \/16/);
    expect(() => demoNet("127.10")).toThrow(/benchmark fleets/);
  });
});
