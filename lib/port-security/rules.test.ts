import { describe, expect, it } from "vitest";
import { findUnmetRequirement } from "./rules";

describe("automation requirements", () => {
  const all = { hasSwitchConnection: true, isSwitchAutomationOn: true, hasSwitchCredentials: true, hasEventToken: true };
  it("names the first unmet one", () => {
    expect(findUnmetRequirement(all)).toBeNull();
    expect(findUnmetRequirement({ ...all, isSwitchAutomationOn: false })).toBe("switchAutomation is off for the server's switch connection");
    expect(findUnmetRequirement({ ...all, hasSwitchConnection: false })).toContain("no snmp_switch connection");
    expect(findUnmetRequirement({ ...all, hasSwitchCredentials: false })).toContain("no credentials");
    expect(findUnmetRequirement({ ...all, hasEventToken: false })).toContain("PORT_SECURITY_EVENT_API_BEARER_TOKEN");
  });
});
