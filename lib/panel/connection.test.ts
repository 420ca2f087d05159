import { describe, expect, it } from "vitest";
import { panelConnectionSchema } from "./connection";

describe("panel connection input", () => {
  it("accepts a Proxmox token and normalises the fingerprint to upper case", () => {
    const fp = Array.from({ length: 32 }, () => "ab").join(":");
    const parsed = panelConnectionSchema.parse({ kind: "proxmox", baseUrl: "https://pve.example:8006", tokenId: "sankofa@pve!inventory", tlsFingerprint: fp });
    expect(parsed).toMatchObject({ tokenId: "sankofa@pve!inventory", tlsFingerprint: fp.toUpperCase() });
  });

  it("accepts a UniFi API key (no account) and an NPM account email", () => {
    expect(panelConnectionSchema.parse({ kind: "unifi", baseUrl: "https://udm.example", secret: "key" })).toMatchObject({ kind: "unifi", secret: "key" });
    expect(panelConnectionSchema.parse({ kind: "npm", baseUrl: "http://npm.example:81", tokenId: " ops@example.org " })).toMatchObject({
      tokenId: "ops@example.org",
    });
  });

  it.each([
    [{ kind: "tenantos", baseUrl: "ftp://panel.example" }, "Base URL"],
    [{ kind: "proxmox", baseUrl: "https://pve.example", tokenId: "sankofa!inventory" }, "Token ID"],
    [{ kind: "proxmox", baseUrl: "https://pve.example", tokenId: "a@pve!b", tlsFingerprint: "AB:CD" }, "TLS fingerprint"],
    [{ kind: "npm", baseUrl: "http://npm.example:81", tokenId: "admin" }, "Account"],
    [{ kind: "unifi", baseUrl: "https://udm.example", tokenId: "read only" }, "Local account"],
    [{ kind: "unifi", baseUrl: "https://udm.example", tlsFingerprint: "zz" }, "TLS fingerprint"],
  ])("names what is wrong in %j", (input, field) => {
    const result = panelConnectionSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.message).toContain(field);
  });
});
