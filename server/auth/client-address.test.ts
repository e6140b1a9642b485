import { describe, expect, it } from "vitest";
import { clientAddress, PEER_HEADER, trustedProxies } from "./client-address";

const none = trustedProxies({});
const proxies = trustedProxies({ HEDWIG_TRUSTED_PROXIES: "10.0.0.2, 10.0.0.3" });

describe("clientAddress", () => {
  it("is the socket's peer and ignores X-Forwarded-For when no proxy is trusted", () => {
    expect(clientAddress({ [PEER_HEADER]: "203.0.113.7", "x-forwarded-for": "198.51.100.1" }, none)).toBe("203.0.113.7");
    expect(clientAddress({ [PEER_HEADER]: "::ffff:203.0.113.7" }, none)).toBe("203.0.113.7");
  });

  it("ignores X-Forwarded-For from a peer that is not a trusted proxy, even when proxies are trusted", () => {
    expect(clientAddress({ [PEER_HEADER]: "203.0.113.7", "x-forwarded-for": "10.0.0.2, 198.51.100.1" }, proxies)).toBe("203.0.113.7");
  });

  it("behind trusted proxies takes the right-most hop that is not one of them", () => {
    // the client wrote 1.2.3.4 itself; the first proxy appended the address it saw
    const h = { [PEER_HEADER]: "10.0.0.3", "x-forwarded-for": "1.2.3.4, 198.51.100.9, 10.0.0.2" };
    expect(clientAddress(h, proxies)).toBe("198.51.100.9");
    expect(clientAddress({ ...h, "x-forwarded-for": ["1.2.3.4", "198.51.100.9"] }, proxies)).toBe("198.51.100.9");
  });

  it("keeps the proxy's own address when it forwarded nothing, and is null without a peer", () => {
    expect(clientAddress({ [PEER_HEADER]: "10.0.0.2" }, proxies)).toBe("10.0.0.2");
    expect(clientAddress({ "x-forwarded-for": "198.51.100.1" }, proxies)).toBeNull();
    expect(clientAddress(undefined, none)).toBeNull();
  });
});
