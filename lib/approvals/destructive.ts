import { bindingKey, type Binding } from "../junos/bindings";

/**
 * A port change is destructive when a binding the port holds now would be gone after it: that
 * device loses its traffic. Adding bindings is not.
 */
export function findRemovedBindings(before: readonly Binding[], after: readonly Binding[]): Binding[] {
  const kept = new Set(after.map(bindingKey));
  return before.filter((b) => !kept.has(bindingKey(b)));
}

/**
 * Why a settings change weakens safety or evidence, or nothing: turning the second approval off,
 * another VLAN allowlist, what provisioning may touch, a shorter audit retention or VMAC
 * quarantine, a longer approval expiry, automatic drift repair switched, unknown VMs no longer bound, the billing mode (which
 * finance approves). Such a change waits for a second person.
 */
export function findSafetyWeakening(
  current: { isSecondApprovalRequired: boolean; vlanAllowlist: readonly number[] } & Partial<EvidenceSettings> &
    Partial<Record<ProvisioningSafetyKey, unknown>>,
  patch: { isSecondApprovalRequired?: boolean; vlanAllowlist?: readonly number[] } & Partial<EvidenceSettings> &
    Partial<Record<ProvisioningSafetyKey, unknown>>,
): string[] {
  const reasons: string[] = [];
  if (current.isSecondApprovalRequired && patch.isSecondApprovalRequired === false) reasons.push("turns the second approval off");
  const same = (a: readonly number[], b: readonly number[]) =>
    a.length === b.length && [...a].sort((x, y) => x - y).every((v, i) => v === [...b].sort((x, y) => x - y)[i]);
  if (patch.vlanAllowlist && !same(current.vlanAllowlist, patch.vlanAllowlist)) {
    const show = (l: readonly number[]) => (l.length ? l.join(", ") : "every VLAN");
    reasons.push(`changes the VLAN allowlist from ${show(current.vlanAllowlist)} to ${show(patch.vlanAllowlist)}`);
  }
  // What provisioning may touch on Proxmox, and what counts as production: any change waits too.
  for (const key of PROVISIONING_SAFETY_KEYS) {
    if (patch[key] !== undefined && JSON.stringify(patch[key]) !== JSON.stringify(current[key])) reasons.push(`changes ${key}`);
  }
  // Evidence and safety nets: a shorter audit trail, a VMAC handed on sooner, a request that
  // stays decidable longer, automation that rewrites switches on its own (or stops doing so).
  const lowered = (k: "auditRetentionDays" | "jobRunRetentionDays" | "vmacQuarantineDays", label: string) => {
    const [from, to] = [current[k], patch[k]];
    if (to !== undefined && from !== undefined && to < from) reasons.push(`shortens ${label} from ${from} to ${to} days`);
  };
  lowered("auditRetentionDays", "audit retention");
  lowered("jobRunRetentionDays", "job history retention");
  lowered("vmacQuarantineDays", "the VMAC quarantine");
  if (patch.approvalExpiryDays !== undefined && current.approvalExpiryDays !== undefined && patch.approvalExpiryDays > current.approvalExpiryDays)
    reasons.push(`lets requests wait ${patch.approvalExpiryDays} days instead of ${current.approvalExpiryDays} before they expire`);
  if (patch.isDriftAutoRepairOn !== undefined && current.isDriftAutoRepairOn !== undefined && patch.isDriftAutoRepairOn !== current.isDriftAutoRepairOn)
    reasons.push(`turns automatic drift repair ${patch.isDriftAutoRepairOn ? "on" : "off"}`);
  // Skipping VMs Tenantos does not know takes their addresses off the switches at the next push.
  if (patch.isUnknownVmBound === false && current.isUnknownVmBound === true)
    reasons.push("stops binding VMs Tenantos does not know: their addresses leave the switches at the next push");
  const billing = findBillingChange(current, patch);
  if (billing) reasons.push(billing);
  return reasons;
}

/** The billing mode decides what customers pay: it always waits for finance, whatever the second-approval setting. */
export function findBillingChange(current: Partial<EvidenceSettings>, patch: Partial<EvidenceSettings>): string | null {
  if (patch.bandwidthBillingMode === undefined || patch.bandwidthBillingMode === current.bandwidthBillingMode) return null;
  return `changes the bandwidth billing mode from ${current.bandwidthBillingMode} to ${patch.bandwidthBillingMode} (finance approves)`;
}

interface EvidenceSettings {
  auditRetentionDays: number;
  jobRunRetentionDays: number;
  vmacQuarantineDays: number;
  approvalExpiryDays: number;
  isDriftAutoRepairOn: boolean;
  isUnknownVmBound: boolean;
  bandwidthBillingMode: string;
}

const PROVISIONING_SAFETY_KEYS = [
  "provisioningNodes",
  "provisioningVmidRanges",
  "provisioningStorages",
  "provisioningBridges",
  "provisioningVlans",
  "provisioningPrefixes",
  "provisioningJobTypes",
  "productionNodes",
  "productionVmidRanges",
  "provisioningTicketPattern",
] as const;
type ProvisioningSafetyKey = (typeof PROVISIONING_SAFETY_KEYS)[number];
