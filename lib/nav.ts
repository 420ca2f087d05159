import type { Access } from "./auth/roles";

export interface NavItem {
  href: string;
  label: string;
  access: Access;
  /** Which issue builds it; pages not built yet say so plainly. */
  isBuilt: boolean;
  summary: string;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { href: "/it", label: "Dashboard", access: "viewer", isBuilt: true, summary: "Health of the database and workers." },
  { href: "/it/ipam", label: "IPAM", access: "viewer", isBuilt: true, summary: "Subnets, addresses and utilization." },
  { href: "/it/vlans", label: "VLANs", access: "viewer", isBuilt: true, summary: "The VLAN plan." },
  {
    href: "/it/ports",
    label: "Port map",
    access: "viewer",
    isBuilt: true,
    summary: "Hostname to patch panel: the edge path, the physical port map and its findings.",
  },
  { href: "/it/proxmox", label: "Proxmox", access: "viewer", isBuilt: true, summary: "Nodes, guests and the port-security preview." },
  { href: "/it/hosts", label: "Hosts", access: "viewer", isBuilt: true, summary: "Node capacity, allocation, use, and where new workloads fit." },
  { href: "/it/port-security", label: "Port security", access: "viewer", isBuilt: true, summary: "Events from the panel and what became of them." },
  { href: "/it/why", label: "Why (not) bound?", access: "viewer", isBuilt: true, summary: "For one IP: Tenantos, the rules, the push and the switch." },
  { href: "/it/switches", label: "Switches", access: "viewer", isBuilt: true, summary: "Junos switches, backups, pushes and Apply All." },
  { href: "/it/virtual-macs", label: "Virtual MACs", access: "viewer", isBuilt: true, summary: "One MAC per additional IP." },
  { href: "/it/drift", label: "Drift", access: "viewer", isBuilt: true, summary: "Live versus declared inventory." },
  { href: "/it/provisioning", label: "Provisioning", access: "viewer", isBuilt: true, summary: "Servers being set up." },
  // Licences are commercial (entitlements, seats bought): finance and IT admins, like billing.
  { href: "/it/licenses", label: "Licenses", access: "finance", isBuilt: true, summary: "Software licenses and their seats." },
  { href: "/it/billing", label: "Billing", access: "finance", isBuilt: true, summary: "Usage, invoices and CSV export." },
  { href: "/it/approvals", label: "Approvals", access: "viewer", isBuilt: true, summary: "Destructive changes waiting for a second admin." },
  { href: "/it/jobs", label: "Jobs", access: "viewer", isBuilt: true, summary: "Queued, running and failed background jobs." },
  { href: "/it/audit", label: "Audit", access: "viewer", isBuilt: true, summary: "Who changed what, and when." },
  { href: "/it/settings", label: "Settings", access: "viewer", isBuilt: true, summary: "VLAN allowlist, backup schedule." },
];

export function findNavItem(href: string): NavItem | undefined {
  return NAV_ITEMS.find((i) => i.href === href);
}
