// A VMAC is the one MAC its IP may use. Anything that binds or configures the IP on another MAC
// (a Proxmox guest's netN, a switch binding) is a disagreement to show, not to fix silently.

export interface VmacDisagreement {
  ip: string;
  vmac: string;
  serverId: number;
  source: "proxmox" | "switch";
  where: string;
  mac: string;
}

/** One NIC of a Proxmox guest, with the addresses its config and agent give it. */
export interface GuestNicAddresses {
  vmid: number;
  name: string;
  node: string;
  mac: string;
  ips: readonly string[];
}

export function findVmacDisagreements(input: {
  vmacs: ReadonlyArray<{ ip: string; mac: string; serverId: number }>;
  guestNics: readonly GuestNicAddresses[];
  switchBindings: ReadonlyArray<{ switchName: string; interface: string; ip: string; mac: string }>;
}): VmacDisagreement[] {
  const out: VmacDisagreement[] = [];
  const byIp = new Map(input.vmacs.map((v) => [v.ip, v]));
  for (const nic of input.guestNics) {
    for (const ip of nic.ips) {
      const v = byIp.get(ip);
      if (v && v.mac !== nic.mac.toLowerCase())
        out.push({ ip, vmac: v.mac, serverId: v.serverId, source: "proxmox", where: `${nic.node} VM ${nic.vmid} (${nic.name})`, mac: nic.mac.toLowerCase() });
    }
  }
  for (const b of input.switchBindings) {
    const v = byIp.get(b.ip);
    if (v && v.mac !== b.mac) out.push({ ip: b.ip, vmac: v.mac, serverId: v.serverId, source: "switch", where: `${b.switchName} ${b.interface}`, mac: b.mac });
  }
  return out.sort((a, b) => a.ip.localeCompare(b.ip) || a.source.localeCompare(b.source));
}
