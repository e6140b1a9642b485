import { describe, expect, it } from "vitest";
import { blockedAddress, parseCidr } from "./webhook-targets";

describe("blockedAddress", () => {
  it("refuses loopback, link-local and private addresses, v4, v6 and v4-mapped", () => {
    for (const ip of [
      "127.0.0.1",
      "127.9.9.9",
      "10.1.2.3",
      "172.16.0.1",
      "172.31.255.255",
      "192.168.1.1",
      "169.254.169.254",
      "0.0.0.0",
      "100.64.0.1",
      "::1",
      "fe80::1",
      "fd00::1",
      "::ffff:127.0.0.1",
    ]) {
      expect(blockedAddress(ip, []), ip).not.toBeNull();
    }
  });

  it("lets public addresses through, and inside ones an ADMIN allowed", () => {
    for (const ip of ["8.8.8.8", "172.32.0.1", "203.0.113.9", "2001:db8::1"]) expect(blockedAddress(ip, []), ip).toBeNull();
    expect(blockedAddress("127.0.0.1", ["127.0.0.0/8"])).toBeNull();
    expect(blockedAddress("10.20.3.4", ["10.20.0.0/16"])).toBeNull();
    expect(blockedAddress("10.21.3.4", ["10.20.0.0/16"])).not.toBeNull();
  });

  it("parses only IPv4 CIDRs", () => {
    expect(parseCidr("10.20.0.0/16")).toEqual(["10.20.0.0", 16]);
    for (const bad of ["10.20.0.0", "10.20.0.0/33", "300.1.1.1/8", "::1/128", "x"]) expect(parseCidr(bad), bad).toBeNull();
  });
});
