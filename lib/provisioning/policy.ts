import { AppError } from "../errors";
import { JOB_KINDS, type JobKind } from "./jobs";

/**
 * What provisioning may touch and who must agree. Every list is an allowlist: an EMPTY list
 * allows nothing (the safe default for writes), unlike the port-security VLAN list.
 */
export interface ProvisioningPolicy {
  nodes: readonly string[];
  vmidRanges: readonly VmidRange[];
  storages: readonly string[];
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
export type AllowlistRule = "allowlist.nodes" | "allowlist.vmids" | "allowlist.storages" | "allowlist.jobTypes";

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

/** A ticket format must compile and must anchor both ends, or "X" would match "rm -rf X". */
export function parseTicketPattern(text: string, field = "provisioningTicketPattern"): string {
  const t = text.trim();
  if (!t.startsWith("^") || !t.endsWith("$")) throw new AppError("BAD_REQUEST", `Ticket format: "${t}" must start with ^ and end with $`, { field });
  try {
    new RegExp(t);
  } catch (e) {
    throw new AppError("BAD_REQUEST", `Ticket format: "${t}" is not a regular expression (${(e as Error).message})`, { field });
  }
  return t;
}

/** The ticket id a real run carries, checked against the configured format; returns it trimmed. */
export function parseTicketId(ticketId: string | undefined | null, pattern: string): string {
  const t = (ticketId ?? "").trim();
  if (t === "") throw new AppError("BAD_REQUEST", "a real run needs a ticket id", { field: "ticketId" });
  if (t.length > 100 || !new RegExp(pattern).test(t)) {
    throw new AppError("BAD_REQUEST", `ticket id "${t.slice(0, 100)}" does not match the ticket format ${pattern}`, { field: "ticketId" });
  }
  return t;
}

/** Why a job waits for a second admin (empty: it does not). */
export function findApprovalReasons(policy: ProvisioningPolicy, job: { kind: JobKind; node: string; vmid: number | null }): string[] {
  if (!policy.isSecondApprovalRequired) return [];
  const reasons: string[] = [];
  if (job.kind === "power_stop" || job.kind === "power_shutdown") reasons.push(`${job.kind.replace("power_", "")} takes the guest down`);
  if (job.kind === "resize_disk") reasons.push("a disk resize cannot be undone");
  if (policy.productionNodes.includes(job.node)) reasons.push(`node ${job.node} is marked production`);
  if (job.vmid !== null && isVmidInRanges(policy.productionVmidRanges, job.vmid)) reasons.push(`VMID ${job.vmid} is marked production`);
  return reasons;
}
