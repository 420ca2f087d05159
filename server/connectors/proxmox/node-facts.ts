import { parseGuestNics } from "@/lib/inventory/guest-config";
import type { VmFact } from "@/lib/port-security/rules";
import type { ProxmoxClient } from "./client";

function isHostAddress(ip: string): boolean {
  return !(ip.startsWith("127.") || ip === "::1" || ip.toLowerCase().startsWith("fe80:"));
}

/**
 * Every VM on one node as the binding rules need it: each NIC's MAC and VLAN tag from the guest
 * config, its IPs from the config (`ipconfigN`, LXC `ip=`) and, apart, what the agent reports for
 * NICs the config gives no address (the rules trust the two differently).
 */
export async function collectNodeVmFacts(client: ProxmoxClient, node: string): Promise<VmFact[]> {
  const guests = (await client.listGuests()).filter((g) => g.node === node);
  return Promise.all(
    guests.map(async (g) => {
      const nics = parseGuestNics(await client.getGuestConfig(g));
      const needsAgent = nics.some((n) => n.ips.length === 0);
      const live = needsAgent ? await client.getGuestAddresses(g) : [];
      return {
        vmid: g.vmid,
        name: g.name,
        nics: nics
          .filter((n) => n.mac)
          .map((n) => ({
            mac: n.mac!,
            vlanId: n.vlanTag,
            configIps: n.ips,
            agentIps: n.ips.length ? [] : (live.find((l) => l.mac === n.mac)?.ips ?? []).filter(isHostAddress),
          })),
      };
    }),
  );
}
