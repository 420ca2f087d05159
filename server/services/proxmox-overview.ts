import type { VmFact } from "@/lib/port-security/rules";
import { collectNodeVmFacts } from "@/server/connectors/proxmox/node-facts";
import type { TenantosServer } from "@/server/connectors/tenantos/client";
import type { PanelDeps } from "./panel-facts";
import { shortHostname } from "./panel-routing";

export interface ProxmoxOverview {
  nodes: Array<{ node: string; status: string; maxcpu: number; maxmem: number; serverId: number | null; vms: VmFact[] }>;
  /** Tenantos servers that are not Proxmox nodes: dedicated servers. */
  dedicated: TenantosServer[];
  /** A system that did not answer: the page says so instead of showing nothing. */
  errors: string[];
}

/** Nodes with their VMs (MACs, IPs, VLANs as the rules read them) and the panel's dedicated servers. */
export async function getProxmoxOverview(panel: PanelDeps | undefined): Promise<ProxmoxOverview> {
  const errors: string[] = [];
  if (!panel) return { nodes: [], dedicated: [], errors: ["Tenantos is not configured (Settings → Connections)"] };
  const servers = await panel.tenantos.listServers().catch((e: Error) => (errors.push(e.message), [] as TenantosServer[]));
  const byShortName = new Map(servers.map((s) => [shortHostname(s.hostname), s]));
  let nodes: ProxmoxOverview["nodes"] = [];
  if (!panel.proxmox) errors.push("Proxmox is not configured (Settings → Connections)");
  else {
    const pve = panel.proxmox;
    try {
      nodes = await Promise.all(
        (await pve.listNodes()).map(async (n) => ({
          node: n.node,
          status: n.status,
          maxcpu: n.maxcpu,
          maxmem: n.maxmem,
          serverId: byShortName.get(n.node.toLowerCase())?.id ?? null,
          vms: (await collectNodeVmFacts(pve, n.node)).sort((a, b) => a.vmid - b.vmid),
        })),
      );
    } catch (e) {
      errors.push((e as Error).message);
    }
  }
  const nodeNames = new Set(nodes.map((n) => n.node.toLowerCase()));
  return { nodes: nodes.sort((a, b) => a.node.localeCompare(b.node)), dedicated: servers.filter((s) => !nodeNames.has(shortHostname(s.hostname))), errors };
}
