import { describe, expect, it } from "vitest";
import { parseBinding } from "../junos/bindings";
import { findRemovedBindings, findSafetyWeakening } from "./destructive";

const b = (ip: string, mac: string) => parseBinding({ ip, mac, vlan: "VLAN.13" });

describe("destructive port changes", () => {
  it("names the bindings a change would take away, and none for additions", () => {
    const now = [b("10.0.48.5", "aa:bb:cc:00:00:01"), b("10.0.48.6", "02:00:0a:00:30:06")];
    expect(findRemovedBindings(now, [...now, b("10.0.48.7", "02:00:0a:00:30:07")])).toEqual([]);
    expect(findRemovedBindings(now, [now[0]!])).toEqual([now[1]]);
    // A new MAC for the same IP takes the old device off.
    expect(findRemovedBindings(now, [now[0]!, b("10.0.48.6", "02:00:0a:00:30:99")])).toEqual([now[1]]);
  });
});

describe("settings that weaken safety", () => {
  const current = { isSecondApprovalRequired: true, vlanAllowlist: [13, 11] };
  it("names turning the second approval off and any other VLAN allowlist; the same list in another order is no change", () => {
    expect(findSafetyWeakening(current, { isSecondApprovalRequired: false, vlanAllowlist: [] })).toEqual([
      "turns the second approval off",
      "changes the VLAN allowlist from 13, 11 to every VLAN",
    ]);
    expect(findSafetyWeakening(current, { vlanAllowlist: [11, 13], isSecondApprovalRequired: true })).toEqual([]);
    expect(findSafetyWeakening({ ...current, isSecondApprovalRequired: false }, { isSecondApprovalRequired: false })).toEqual([]);
  });

  it("a change to what provisioning may touch, or to what is production, waits for a second admin", () => {
    const withProv = { ...current, provisioningNodes: ["pve1"], productionVmidRanges: [{ from: 100, to: 199 }] };
    expect(findSafetyWeakening(withProv, { provisioningNodes: ["pve1", "pve2"], productionVmidRanges: [] })).toEqual([
      "changes provisioningNodes",
      "changes productionVmidRanges",
    ]);
    expect(findSafetyWeakening(withProv, { provisioningNodes: ["pve1"] })).toEqual([]);
  });
});

describe("settings that weaken evidence", () => {
  const current = {
    isSecondApprovalRequired: true,
    vlanAllowlist: [],
    auditRetentionDays: 400,
    jobRunRetentionDays: 30,
    vmacQuarantineDays: 7,
    approvalExpiryDays: 7,
    isDriftAutoRepairOn: false,
    isUnknownVmBound: true,
    bandwidthBillingMode: "higher",
  };
  it("a shorter audit trail or quarantine, a longer expiry, drift repair switched, another billing mode; longer retention is not", () => {
    expect(
      findSafetyWeakening(current, {
        auditRetentionDays: 60,
        vmacQuarantineDays: 1,
        approvalExpiryDays: 30,
        isDriftAutoRepairOn: true,
        isUnknownVmBound: false,
        bandwidthBillingMode: "total",
      }),
    ).toEqual([
      "shortens audit retention from 400 to 60 days",
      "shortens the VMAC quarantine from 7 to 1 days",
      "lets requests wait 30 days instead of 7 before they expire",
      "turns automatic drift repair on",
      "stops binding VMs Tenantos does not know: their addresses leave the switches at the next push",
      "changes the bandwidth billing mode from higher to total (finance approves)",
    ]);
    expect(findSafetyWeakening(current, { auditRetentionDays: 800, vmacQuarantineDays: 30, approvalExpiryDays: 3 })).toEqual([]);
    // The Jobs page's history is evidence too: shorter waits, longer does not.
    expect(findSafetyWeakening(current, { jobRunRetentionDays: 7 })).toEqual(["shortens job history retention from 30 to 7 days"]);
    expect(findSafetyWeakening(current, { jobRunRetentionDays: 90 })).toEqual([]);
    // Binding unknown VMs again removes nothing.
    expect(findSafetyWeakening({ ...current, isUnknownVmBound: false }, { isUnknownVmBound: true })).toEqual([]);
  });
});
