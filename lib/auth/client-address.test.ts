import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findClientAddress, parseTrustedProxies } from "./client-address";

const none = parseTrustedProxies("");
const proxies = parseTrustedProxies("10.0.0.5, 10.1.0.0/16, fd00::/8");

describe("the client address", () => {
  it("is the socket's peer when no proxy is trusted, whatever forwarding headers claim", () => {
    expect(findClientAddress({ peer: "127.0.0.2", forwardedFor: "198.51.100.7", realIp: "198.51.100.8" }, none)).toBe("127.0.0.2");
    expect(findClientAddress({ peer: "::ffff:127.0.0.3", forwardedFor: "198.51.100.7" }, none)).toBe("127.0.0.3");
    fc.assert(
      fc.property(fc.string(), fc.string(), (xff, real) => {
        expect(findClientAddress({ peer: "203.0.113.9", forwardedFor: xff, realIp: real }, proxies)).toBe("203.0.113.9");
      }),
      { seed: 11 },
    );
  });

  it("behind trusted proxies is the right-most hop that is not one of them; what the client prepended is ignored", () => {
    // The client claims 198.51.100.7; our edge proxy 10.1.2.3 appended the address it saw, 203.0.113.20.
    expect(findClientAddress({ peer: "10.0.0.5", forwardedFor: "198.51.100.7, 203.0.113.20, 10.1.2.3" }, proxies)).toBe("203.0.113.20");
    expect(findClientAddress({ peer: "10.0.0.5", forwardedFor: "203.0.113.20:4711" }, proxies)).toBe("203.0.113.20");
    expect(findClientAddress({ peer: "fd00::1", forwardedFor: "[2001:DB8::7]:443" }, proxies)).toBe("2001:db8::7");
    expect(findClientAddress({ peer: "10.0.0.5", realIp: "203.0.113.21" }, proxies)).toBe("203.0.113.21");
    expect(findClientAddress({ peer: "10.0.0.5" }, proxies)).toBe("10.0.0.5");
  });

  it("a hop that is not an address stops at the proxy that passed it on; a missing peer is unknown", () => {
    expect(findClientAddress({ peer: "10.0.0.5", forwardedFor: "203.0.113.20, not-an-ip" }, proxies)).toBe("10.0.0.5");
    expect(findClientAddress({ peer: "10.0.0.5", forwardedFor: "garbage, 10.1.0.9" }, proxies)).toBe("10.1.0.9");
    expect(findClientAddress({ peer: null, forwardedFor: "198.51.100.7" }, proxies)).toBe("unknown");
  });

  it("TRUSTED_PROXIES names a bad entry", () => {
    expect(() => parseTrustedProxies("10.0.0.5, proxy.example")).toThrow(/"proxy.example"/);
  });
});
