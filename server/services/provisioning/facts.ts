import { sql } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import type { ProvisioningRequest } from "@/lib/provisioning/jobs";
import type { AddressFacts, GuestFacts, PlanFacts } from "@/lib/provisioning/plan";
import { findVmidInRanges, type ProvisioningPolicy } from "@/lib/provisioning/policy";
import type { Settings } from "@/lib/settings/schema";
import type { ProxmoxClient } from "@/server/connectors/proxmox/client";
import type { Db, DbOrTx } from "@/server/db/client";
import { claimNextFreeAddress } from "../ipam/prefixes";

export function toPolicy(s: Settings): ProvisioningPolicy {
  return {
    nodes: s.provisioningNodes,
    vmidRanges: s.provisioningVmidRanges,
    storages: s.provisioningStorages,
    bridges: s.provisioningBridges,
    vlans: s.provisioningVlans,
    prefixes: s.provisioningPrefixes,
    jobKinds: s.provisioningJobTypes,
    productionNodes: s.productionNodes,
    productionVmidRanges: s.productionVmidRanges,
    ticketPattern: s.provisioningTicketPattern,
    isSecondApprovalRequired: s.isSecondApprovalRequired,
  };
}

/** The prefix a job takes its address from: CIDR, gateway, VLAN. */
export async function getPrefixFacts(db: DbOrTx, prefixId: number): Promise<{ prefix: string; gateway: string | null; vlanVid: number | null }> {
  const [p] = await db.execute<{ prefix: string; gateway: string | null; vid: number | null }>(sql`
    select p.prefix::text as prefix, host(p.gateway) as gateway, v.vid from ipam_prefixes p left join ipam_vlans v on v.id = p.vlan_id where p.id = ${prefixId}`);
  if (!p) throw new AppError("BAD_REQUEST", `prefix ${prefixId} is not in IPAM`, { field: "prefixId" });
  return { prefix: p.prefix, gateway: p.gateway, vlanVid: p.vid === null ? null : Number(p.vid) };
}

class DryRunRollback extends Error {}

/**
 * The address the prefix would give now, by running the real atomic claim and rolling it back: the
 * dry run shows exactly what the claim's rules pick, and keeps nothing.
 */
export async function peekNextFreeAddress(db: Db, prefixId: number): Promise<string | null> {
  let ip: string | null = null;
  try {
    await db.transaction(async (tx) => {
      ip = (await claimNextFreeAddress(tx, { id: "system:provisioning-dry-run" }, prefixId, {})).address;
      throw new DryRunRollback();
    });
  } catch (e) {
    if (e instanceof DryRunRollback) return ip;
    if (e instanceof AppError && e.code === "CONFLICT") return null;
    throw e;
  }
  return ip;
}

export async function toAddressFacts(db: DbOrTx, prefixId: number, ip: string | null, isClaimed: boolean): Promise<AddressFacts | null> {
  if (!ip) return null;
  const p = await getPrefixFacts(db, prefixId);
  return { prefix: p.prefix, ip, prefixLength: Number(p.prefix.split("/")[1]), gateway: p.gateway, vlanVid: p.vlanVid, isClaimed };
}

/**
 * Everything the planner needs, read from Proxmox and IPAM (no transaction is open: these are
 * network calls). `claimed` is what a run already holds (its address, its VMID).
 */
export async function readPlanFacts(
  db: Db,
  proxmox: ProxmoxClient,
  request: ProvisioningRequest,
  settings: Settings,
  claimed: { address: string | null; vmid: number | null } = { address: null, vmid: null },
): Promise<PlanFacts> {
  const nodes = (await proxmox.listNodes()).map((n) => ({ node: n.node, status: n.status }));
  const isNodeKnown = nodes.some((n) => n.node === request.node);
  let guest: GuestFacts | null = null;
  if (request.type !== "create_ct" && isNodeKnown) {
    const ref = { node: request.node, type: request.guestType, vmid: request.vmid };
    const status = await proxmox.getGuestStatus(ref);
    if (status) {
      const config = (await proxmox.getGuestConfig(ref)) as Record<string, string | number>;
      guest = { ...ref, status: status.status === "running" ? "running" : "stopped", config };
    }
  }
  const storages = isNodeKnown
    ? (await proxmox.listStorage(request.node)).map((s) => ({
        storage: s.storage,
        content: s.content ?? "",
        avail: s.avail ?? Math.max(0, (s.total ?? 0) - (s.used ?? 0)),
        isActive: s.active !== 0,
      }))
    : [];
  let templates: string[] = [];
  let vmid: number | null = null;
  if (request.type === "create_ct" && isNodeKnown) {
    const templateStorage = request.template.split(":")[0]!;
    if (storages.some((s) => s.storage === templateStorage)) templates = await proxmox.listTemplates(request.node, templateStorage);
    vmid = claimed.vmid ?? (await proxmox.getNextVmid(request.vmid));
    // Without a VMID asked for, the cluster's pick may lie outside the allowed ranges: take the next
    // free one inside them instead, and have Proxmox confirm it is free (the guest list can be a moment old).
    if (!claimed.vmid && !request.vmid && vmid !== null) {
      const taken = new Set((await proxmox.listGuests()).map((g) => Number(g.vmid)));
      for (;;) {
        const inRange = findVmidInRanges(settings.provisioningVmidRanges, vmid, taken);
        if (inRange === null || inRange === vmid) break;
        const confirmed = await proxmox.getNextVmid(inRange);
        if (confirmed === inRange) {
          vmid = inRange;
          break;
        }
        taken.add(inRange);
      }
    }
  }
  let address: AddressFacts | null = null;
  let prefix: PlanFacts["prefix"] = null;
  if (request.type === "assign_ip" || request.type === "create_ct") {
    prefix = await getPrefixFacts(db, request.prefixId);
    address = claimed.address
      ? await toAddressFacts(db, request.prefixId, claimed.address, true)
      : await toAddressFacts(db, request.prefixId, await peekNextFreeAddress(db, request.prefixId), false);
  }
  return { policy: toPolicy(settings), nodes, guest, storages, templates, vmid, address, prefix };
}
