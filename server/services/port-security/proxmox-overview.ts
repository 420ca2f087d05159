import type { VmFact } from "@/lib/port-security/rules";
import { collectNodeVmFacts } from "@/server/connectors/proxmox/node-facts";
import type { TenantosServer } from "@/server/connectors/tenantos/client";
import type { DbOrTx } from "@/server/db/client";
import type { OutsideSystems } from "@/server/connectors/outside-systems";
import { listNodeServers, shortHostname } from "./proxmox-nodes";

export interface ProxmoxOverview {
  nodes: Array<{
    node: string;
    status: string;
    maxcpu: number;
    maxmem: number;
    /** The Tenantos server an admin confirmed is this node, or null. */
    serverId: number | null;
    confirmedBy: string | null;
    /** When unmapped: the server whose hostname matches, for an admin to confirm (never used before that). */
    suggestedServerId: number | null;
    vms: VmFact[];
    /** Each VM's guest type, for the provisioning actions (which API path: qemu or lxc). */
    guestTypes: Record<number, "qemu" | "lxc">;
  }>;
  /** Tenantos servers that are not mapped to a Proxmox node. */
  dedicated: TenantosServer[];
  /** A system that did not answer: the page says so instead of showing nothing. */
  errors: string[];
}

/** Nodes with their VMs (MACs, IPs, VLANs as the rules read them), their Tenantos servers, and the other servers. */
export async function getProxmoxOverview(db: DbOrTx, panel: OutsideSystems | undefined): Promise<ProxmoxOverview> {
  const errors: string[] = [];
  if (!panel) return { nodes: [], dedicated: [], errors: ["Tenantos is not configured (Settings → Connections)"] };
  const [servers, mappings] = await Promise.all([
    panel.tenantos.listServers().catch((e: Error) => (errors.push(e.message), [] as TenantosServer[])),
    listNodeServers(db),
  ]);
  const byShortName = new Map(servers.map((s) => [shortHostname(s.hostname), s]));
  const mappedBy = new Map(mappings.map((m) => [m.node, m]));
  let nodes: ProxmoxOverview["nodes"] = [];
  if (!panel.proxmox) errors.push("Proxmox is not configured (Settings → Connections)");
  else {
    const pve = panel.proxmox;
    try {
      const guests = await pve.listGuests();
      nodes = await Promise.all(
        (await pve.listNodes()).map(async (n) => {
          const mapped = mappedBy.get(n.node);
          return {
            node: n.node,
            status: n.status,
            maxcpu: n.maxcpu,
            maxmem: n.maxmem,
            serverId: mapped?.tenantosServerId ?? null,
            confirmedBy: mapped?.confirmedBy ?? null,
            suggestedServerId: mapped ? null : (byShortName.get(n.node.toLowerCase())?.id ?? null),
            vms: (await collectNodeVmFacts(pve, n.node)).sort((a, b) => a.vmid - b.vmid),
            guestTypes: Object.fromEntries(guests.filter((g) => g.node === n.node).map((g) => [g.vmid, g.type as "qemu" | "lxc"])),
          };
        }),
      );
    } catch (e) {
      errors.push((e as Error).message);
    }
  }
  const nodeServers = new Set(mappings.map((m) => m.tenantosServerId));
  return { nodes: nodes.sort((a, b) => a.node.localeCompare(b.node)), dedicated: servers.filter((s) => !nodeServers.has(s.id)), errors };
}
