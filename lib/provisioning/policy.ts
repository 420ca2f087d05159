import { RE2JS } from "re2js";
import { AppError } from "../errors";
import { parsePrefix } from "../ipam/values";
import { JOB_KINDS, type JobKind } from "./jobs";

/**
 * What provisioning may touch and who must agree. Every list is an allowlist: an EMPTY list
 * allows nothing (the safe default for writes), unlike the port-security VLAN list.
 */
export interface ProvisioningPolicy {
  nodes: readonly string[];
  vmidRanges: readonly VmidRange[];
  storages: readonly string[];
  /** Bridges a job may put a NIC on (`vmbr0`). */
  bridges: readonly string[];
  /** VLANs a job may put an address on; 0 stands for untagged. */
  vlans: readonly number[];
  /** IPAM prefixes (canonical CIDR) a job may take an address from. */
  prefixes: readonly string[];
  jobKinds: readonly JobKind[];
  /** Nodes and VMIDs marked production: any job on them waits for a second admin. */
  productionNodes: readonly string[];
  productionVmidRanges: readonly VmidRange[];
  /** The ticket id format, a regular expression source (e.g. `^[A-Z]+-\d+$`). */
  ticketPattern: string;
  /** The platform-wide switch (settings): off, no job waits for a second admin. */
  isSecondApprovalRequired: boolean;
}

export interface VmidRange {
  from: number;
  to: number;
}

/** The named rules a plan is refused by; the name is shown with the refusal. */
export type AllowlistRule =
  "allowlist.nodes" | "allowlist.vmids" | "allowlist.storages" | "allowlist.jobTypes" | "allowlist.bridges" | "allowlist.vlans" | "allowlist.prefixes";

export function isVmidInRanges(ranges: readonly VmidRange[], vmid: number): boolean {
  return ranges.some((r) => vmid >= r.from && vmid <= r.to);
}

/** "100-199, 250" → ranges; a bad token is an error naming it. Empty text = no range. */
export function parseVmidRanges(text: string, field: string): VmidRange[] {
  const out: VmidRange[] = [];
  for (const raw of text.split(",")) {
    const token = raw.trim();
    if (token === "") continue;
    const m = /^(\d{3,9})(?:\s*-\s*(\d{3,9}))?$/.exec(token);
    const from = m ? Number(m[1]) : NaN;
    const to = m ? Number(m[2] ?? m[1]) : NaN;
    if (!m || from < 100 || to < from) {
      throw new AppError("BAD_REQUEST", `VMID ranges: "${token}" is not a VMID (100 or more) or a range such as 100-199`, { field });
    }
    out.push({ from, to });
  }
  return out;
}

export function formatVmidRanges(ranges: readonly VmidRange[]): string {
  return ranges.map((r) => (r.from === r.to ? String(r.from) : `${r.from}-${r.to}`)).join(", ");
}

/** "pve1, pve2" → names (node and storage ids); a bad token is an error naming it. */
export function parseNameList(text: string, field: string, label: string): string[] {
  const names = new Set<string>();
  for (const raw of text.split(",")) {
    const token = raw.trim();
    if (token === "") continue;
    if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}$/.test(token)) throw new AppError("BAD_REQUEST", `${label}: "${token}" is not a valid name`, { field });
    names.add(token);
  }
  return [...names];
}

export function parseJobKinds(text: string, field: string): JobKind[] {
  const kinds = new Set<JobKind>();
  for (const raw of text.split(",")) {
    const token = raw.trim();
    if (token === "") continue;
    if (!(JOB_KINDS as readonly string[]).includes(token))
      throw new AppError("BAD_REQUEST", `Provisioning job types: "${token}" is not one of ${JOB_KINDS.join(", ")}`, { field });
    kinds.add(token as JobKind);
  }
  return [...kinds];
}

/** "vmbr0, vmbr1" → bridge names; a bad token is an error naming it. */
export function parseBridgeList(text: string, field = "provisioningBridges"): string[] {
  const names = new Set<string>();
  for (const raw of text.split(",")) {
    const token = raw.trim();
    if (token === "") continue;
    // Proxmox bridge names (pve-common `pve-bridge-id`): a letter, then letters, digits, `_`, `.`, `-`, at most 15 characters (IFNAMSIZ).
    if (!/^[a-zA-Z][a-zA-Z0-9_.-]{0,14}$/.test(token)) throw new AppError("BAD_REQUEST", `Provisioning bridges: "${token}" is not a bridge name`, { field });
    names.add(token);
  }
  return [...names];
}

/** "untagged, 20, 30-32" → VIDs (0 = untagged); a bad token is an error naming it. */
export function parseVlanList(text: string, field = "provisioningVlans"): number[] {
  const vids = new Set<number>();
  for (const raw of text.split(",")) {
    const token = raw.trim().toLowerCase();
    if (token === "") continue;
    if (token === "untagged") {
      vids.add(0);
      continue;
    }
    const m = /^(\d{1,4})(?:\s*-\s*(\d{1,4}))?$/.exec(token);
    const from = m ? Number(m[1]) : NaN;
    const to = m ? Number(m[2] ?? m[1]) : NaN;
    if (!m || from < 1 || to > 4094 || to < from || to - from > 4094)
      throw new AppError("BAD_REQUEST", `Provisioning VLANs: "${raw.trim()}" is not a VLAN (1-4094), a range such as 20-29, or "untagged"`, { field });
    for (let v = from; v <= to; v++) vids.add(v);
  }
  return [...vids].sort((a, b) => a - b);
}

export function formatVlanList(vids: readonly number[]): string {
  return vids.map((v) => (v === 0 ? "untagged" : String(v))).join(", ");
}

/** "10.0.20.0/24, 2001:db8::/64" → canonical prefixes; a bad or host-bits prefix is an error naming it. */
export function parsePrefixList(text: string, field = "provisioningPrefixes"): string[] {
  const out = new Set<string>();
  for (const raw of text.split(",")) {
    const token = raw.trim();
    if (token === "") continue;
    try {
      out.add(parsePrefix(token).prefix);
    } catch (e) {
      throw new AppError("BAD_REQUEST", `Provisioning prefixes: ${(e as Error).message}`, { field });
    }
  }
  return [...out];
}

/** The longest ticket id looked at; longer is refused before any matching. */
export const MAX_TICKET_ID_LENGTH = 100;

/**
 * A ticket format must compile in RE2's syntax and anchor both ends, or "X" would match "rm -rf X".
 * It runs on RE2JS, a linear-time engine (no backtracking): a pattern such as `^(a+)+$` costs time
 * in proportion to the ticket id, not exponential in it. Backreferences and lookarounds, which need
 * backtracking, are refused with RE2's words.
 */
export function parseTicketPattern(text: string, field = "provisioningTicketPattern"): string {
  const t = text.trim();
  if (!t.startsWith("^") || !t.endsWith("$")) throw new AppError("BAD_REQUEST", `Ticket format: "${t}" must start with ^ and end with $`, { field });
  try {
    RE2JS.compile(t);
  } catch (e) {
    throw new AppError("BAD_REQUEST", `Ticket format: "${t}" is not a regular expression the linear engine runs (${(e as Error).message})`, { field });
  }
  return t;
}

/** The ticket id a real run carries, checked against the configured format (linear-time); returns it trimmed. */
export function parseTicketId(ticketId: string | undefined | null, pattern: string): string {
  const t = (ticketId ?? "").trim();
  if (t === "") throw new AppError("BAD_REQUEST", "a real run needs a ticket id", { field: "ticketId" });
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(pattern);
  } catch {
    // A format saved before the linear engine, in syntax it does not run (a lookahead, a backreference).
    throw new AppError("BAD_REQUEST", `the ticket format setting ${pattern} cannot be checked safely: an admin must set it again`, { field: "ticketId" });
  }
  if (t.length > MAX_TICKET_ID_LENGTH || !compiled.matches(t)) {
    throw new AppError("BAD_REQUEST", `ticket id "${t.slice(0, MAX_TICKET_ID_LENGTH)}" does not match the ticket format ${pattern}`, { field: "ticketId" });
  }
  return t;
}

/** Why a job waits for a second admin (empty: it does not). */
export function findApprovalReasons(policy: ProvisioningPolicy, job: { kind: JobKind; node: string; vmid: number | null; isGuestRunning?: boolean }): string[] {
  if (!policy.isSecondApprovalRequired) return [];
  const reasons: string[] = [];
  if (job.kind === "power_stop" || job.kind === "power_shutdown") reasons.push(`${job.kind.replace("power_", "")} takes the guest down`);
  if (job.kind === "power_reboot") reasons.push("a reboot takes the guest down for a while");
  // A running guest's new address applies at once (LXC) or at its next cloud-init run: its old address stops answering.
  if (job.kind === "assign_ip" && job.isGuestRunning) reasons.push("the guest is running: a new address cuts its connections");
  if (job.kind === "resize_disk") reasons.push("a disk resize cannot be undone");
  if (policy.productionNodes.includes(job.node)) reasons.push(`node ${job.node} is marked production`);
  if (job.vmid !== null && isVmidInRanges(policy.productionVmidRanges, job.vmid)) reasons.push(`VMID ${job.vmid} is marked production`);
  return reasons;
}

/**
 * The VMID a create takes: the cluster's answer when it is inside the allowed ranges, else the lowest
 * VMID of the ranges that no guest holds (null: the ranges are full). `/cluster/nextid` knows nothing of
 * our ranges (it answers the lowest free one from 100, or within datacenter.cfg's `next-id`).
 */
export function findVmidInRanges(ranges: readonly VmidRange[], suggested: number | null, taken: ReadonlySet<number>): number | null {
  if (suggested !== null && isVmidInRanges(ranges, suggested) && !taken.has(suggested)) return suggested;
  const sorted = [...ranges].sort((a, b) => a.from - b.from);
  for (const r of sorted) for (let v = r.from; v <= r.to; v++) if (!taken.has(v)) return v;
  return null;
}
