import { z } from "zod";
import { AppError } from "../errors";
import { BANDWIDTH_MODES } from "../billing/percentile";
import { parseVmacPrefix } from "../port-security/vmac";
import { parseCronSchedule } from "./cron";
import { parseVlanAllowlist } from "./vlan-allowlist";
import { JOB_KINDS } from "../provisioning/jobs";
import { parseBridgeList, parseJobKinds, parseNameList, parsePrefixList, parseTicketPattern, parseVlanList, parseVmidRanges } from "../provisioning/policy";

const vmidRanges = z.array(z.object({ from: z.number().int().min(100), to: z.number().int().min(100) }));

// Typed settings, stored one row per key. Defaults apply until an admin saves a value.
export const settingsSchema = z.object({
  vlanAllowlist: z.array(z.number().int().min(1).max(4094)),
  backupSchedule: z.string(),
  backupRetentionDays: z.number().int().min(1).max(3650),
  /** Audit rows older than this are pruned daily (ASVS 7.1: keep logs as long as needed, not forever). */
  auditRetentionDays: z.number().int().min(30).max(3650),
  /** Closed address-timeline periods older than this are pruned daily (abuse and legal requests ask about the past year). */
  timelineRetentionDays: z.number().int().min(30).max(3650),
  /** Finished job runs older than this are pruned daily (the Jobs page's history). */
  jobRunRetentionDays: z.number().int().min(1).max(3650),
  vmacPrefix: z.string().regex(/^[0-9a-f]{2}:[0-9a-f]{2}$/),
  vmacQuarantineDays: z.number().int().min(0).max(365),
  /** Destructive hand-made changes (bindings removed from a port, a VMAC released) wait for a second admin. */
  isSecondApprovalRequired: z.boolean(),
  /** A request not decided within this many days expires and must be asked again. */
  approvalExpiryDays: z.number().int().min(1).max(90),
  inventorySchedule: z.string(),
  /** The drift audit itself pushes managed ports back to their desired bindings (through the normal reconcile). */
  isDriftAutoRepairOn: z.boolean(),
  /** A VM on a node uplink that Tenantos does not know is bound from its Proxmox config (flagged and alerted), or left out. */
  isUnknownVmBound: z.boolean(),
  // Provisioning on Proxmox (issue 14): allowlists where EMPTY allows nothing.
  provisioningNodes: z.array(z.string()),
  provisioningVmidRanges: vmidRanges,
  provisioningStorages: z.array(z.string()),
  /** Bridges, VLANs (0 = untagged) and IPAM prefixes jobs may put a guest's network on. */
  provisioningBridges: z.array(z.string()),
  provisioningVlans: z.array(z.number().int().min(0).max(4094)),
  provisioningPrefixes: z.array(z.string()),
  provisioningJobTypes: z.array(z.enum(JOB_KINDS)),
  /** Any job on these nodes or VMIDs waits for a second admin. */
  productionNodes: z.array(z.string()),
  productionVmidRanges: vmidRanges,
  /** The format a ticket id must have for a real provisioning run (an anchored regular expression). */
  provisioningTicketPattern: z.string(),
  /** Bandwidth billed at the 95th percentile of: the higher of in and out, in, out, or in+out per sample (contracts differ). */
  bandwidthBillingMode: z.enum(BANDWIDTH_MODES),
});
export type Settings = z.infer<typeof settingsSchema>;
export type SettingKey = keyof Settings;

export const defaultSettings: Settings = {
  vlanAllowlist: [],
  backupSchedule: "0 3 * * *",
  backupRetentionDays: 90,
  auditRetentionDays: 400,
  timelineRetentionDays: 400,
  // A month answers "did last night's backup run?" and "how often did this fail lately?".
  jobRunRetentionDays: 30,
  vmacPrefix: "02:00",
  vmacQuarantineDays: 7,
  isSecondApprovalRequired: true,
  approvalExpiryDays: 7,
  // Weekly, Monday 04:00 UTC: the live inventory from Proxmox.
  inventorySchedule: "0 4 * * 1",
  // Off: a hand edit on a switch may be deliberate (an outage being worked on); an admin repairs it.
  isDriftAutoRepairOn: false,
  // Bound (flagged, alerted): a guest created by hand keeps working while someone adds it to Tenantos.
  isUnknownVmBound: true,
  // Nothing may be touched until an admin says what may.
  provisioningNodes: [],
  provisioningVmidRanges: [],
  provisioningStorages: [],
  provisioningBridges: [],
  provisioningVlans: [],
  provisioningPrefixes: [],
  provisioningJobTypes: [],
  productionNodes: [],
  productionVmidRanges: [],
  provisioningTicketPattern: "^[A-Z]+-\\d+$",
  // Hosting's usual rule: in and out measured apart, the higher billed.
  bandwidthBillingMode: "higher",
};

/** What the settings form sends: text as the admin typed it. */
export const settingsFormSchema = z.object({
  vlanAllowlist: z.string().max(20_000).optional(),
  backupSchedule: z.string().max(200).optional(),
  backupRetentionDays: z.string().max(10).optional(),
  auditRetentionDays: z.string().max(10).optional(),
  timelineRetentionDays: z.string().max(10).optional(),
  jobRunRetentionDays: z.string().max(10).optional(),
  vmacPrefix: z.string().max(10).optional(),
  vmacQuarantineDays: z.string().max(10).optional(),
  isSecondApprovalRequired: z.enum(["required", "off"]).optional(),
  approvalExpiryDays: z.string().max(10).optional(),
  inventorySchedule: z.string().max(200).optional(),
  isDriftAutoRepairOn: z.enum(["on", "off"]).optional(),
  isUnknownVmBound: z.enum(["bind", "skip"]).optional(),
  provisioningNodes: z.string().max(5_000).optional(),
  provisioningVmidRanges: z.string().max(5_000).optional(),
  provisioningStorages: z.string().max(5_000).optional(),
  provisioningBridges: z.string().max(5_000).optional(),
  provisioningVlans: z.string().max(20_000).optional(),
  provisioningPrefixes: z.string().max(20_000).optional(),
  provisioningJobTypes: z.string().max(1_000).optional(),
  productionNodes: z.string().max(5_000).optional(),
  productionVmidRanges: z.string().max(5_000).optional(),
  provisioningTicketPattern: z.string().max(200).optional(),
  bandwidthBillingMode: z.enum(BANDWIDTH_MODES).optional(),
});
export type SettingsForm = z.infer<typeof settingsFormSchema>;

/** Form text → typed values; throws AppError naming the bad token. Only keys present are returned. */
export function parseSettingsForm(form: SettingsForm): Partial<Settings> {
  const out: Partial<Settings> = {};
  if (form.vlanAllowlist !== undefined) out.vlanAllowlist = parseVlanAllowlist(form.vlanAllowlist);
  if (form.backupSchedule !== undefined) out.backupSchedule = parseCronSchedule(form.backupSchedule);
  if (form.backupRetentionDays !== undefined) out.backupRetentionDays = parseRetentionDays(form.backupRetentionDays);
  if (form.auditRetentionDays !== undefined)
    out.auditRetentionDays = parseWholeNumber(form.auditRetentionDays, {
      field: "auditRetentionDays",
      label: "Audit retention",
      min: 30,
      max: 3650,
      unit: "days",
    });
  if (form.timelineRetentionDays !== undefined)
    out.timelineRetentionDays = parseWholeNumber(form.timelineRetentionDays, {
      field: "timelineRetentionDays",
      label: "Address history retention",
      min: 30,
      max: 3650,
      unit: "days",
    });
  if (form.jobRunRetentionDays !== undefined)
    out.jobRunRetentionDays = parseWholeNumber(form.jobRunRetentionDays, {
      field: "jobRunRetentionDays",
      label: "Job history retention",
      min: 1,
      max: 3650,
      unit: "days",
    });
  if (form.vmacPrefix !== undefined) out.vmacPrefix = parseVmacPrefix(form.vmacPrefix);
  if (form.isSecondApprovalRequired !== undefined) out.isSecondApprovalRequired = form.isSecondApprovalRequired === "required";
  if (form.approvalExpiryDays !== undefined)
    out.approvalExpiryDays = parseWholeNumber(form.approvalExpiryDays, {
      field: "approvalExpiryDays",
      label: "Approval expiry",
      min: 1,
      max: 90,
      unit: "days",
    });
  if (form.isDriftAutoRepairOn !== undefined) out.isDriftAutoRepairOn = form.isDriftAutoRepairOn === "on";
  if (form.isUnknownVmBound !== undefined) out.isUnknownVmBound = form.isUnknownVmBound === "bind";
  if (form.bandwidthBillingMode !== undefined) out.bandwidthBillingMode = form.bandwidthBillingMode;
  if (form.vmacQuarantineDays !== undefined)
    out.vmacQuarantineDays = parseWholeNumber(form.vmacQuarantineDays, {
      field: "vmacQuarantineDays",
      label: "VMAC quarantine",
      min: 0,
      max: 365,
      unit: "days",
    });
  if (form.inventorySchedule !== undefined) out.inventorySchedule = parseCronSchedule(form.inventorySchedule, "inventorySchedule", "Inventory schedule");
  if (form.provisioningNodes !== undefined) out.provisioningNodes = parseNameList(form.provisioningNodes, "provisioningNodes", "Provisioning nodes");
  if (form.provisioningVmidRanges !== undefined) out.provisioningVmidRanges = parseVmidRanges(form.provisioningVmidRanges, "provisioningVmidRanges");
  if (form.provisioningStorages !== undefined)
    out.provisioningStorages = parseNameList(form.provisioningStorages, "provisioningStorages", "Provisioning storages");
  if (form.provisioningBridges !== undefined) out.provisioningBridges = parseBridgeList(form.provisioningBridges);
  if (form.provisioningVlans !== undefined) out.provisioningVlans = parseVlanList(form.provisioningVlans);
  if (form.provisioningPrefixes !== undefined) out.provisioningPrefixes = parsePrefixList(form.provisioningPrefixes);
  if (form.provisioningJobTypes !== undefined) out.provisioningJobTypes = parseJobKinds(form.provisioningJobTypes, "provisioningJobTypes");
  if (form.productionNodes !== undefined) out.productionNodes = parseNameList(form.productionNodes, "productionNodes", "Production nodes");
  if (form.productionVmidRanges !== undefined) out.productionVmidRanges = parseVmidRanges(form.productionVmidRanges, "productionVmidRanges");
  if (form.provisioningTicketPattern !== undefined) out.provisioningTicketPattern = parseTicketPattern(form.provisioningTicketPattern);
  return out;
}

/** Stored rows → settings, falling back to defaults for a missing or unreadable row. */
export function readSettings(rows: ReadonlyArray<{ key: string; value: unknown }>): Settings {
  const out: Settings = { ...defaultSettings };
  for (const row of rows) {
    if (!isSettingKey(row.key)) continue;
    const parsed = settingsSchema.shape[row.key].safeParse(row.value);
    if (parsed.success) Object.assign(out, { [row.key]: parsed.data });
  }
  return out;
}

export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(defaultSettings, key);
}

function parseWholeNumber(text: string, o: { field: string; label: string; min: number; max: number; unit: string }): number {
  const t = text.trim();
  const n = Number(t);
  if (!/^\d+$/.test(t) || n < o.min || n > o.max)
    throw new AppError("BAD_REQUEST", `${o.label}: "${t}" is not a number of ${o.unit} from ${o.min} to ${o.max}`, { field: o.field });
  return n;
}

function parseRetentionDays(text: string): number {
  const t = text.trim();
  const n = Number(t);
  if (!/^\d+$/.test(t) || n < 1 || n > 3650) {
    throw new AppError("BAD_REQUEST", `Backup retention: "${t}" is not a number of days from 1 to 3650`, { field: "backupRetentionDays" });
  }
  return n;
}
