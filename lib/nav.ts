import type { Access } from "./auth/roles";

/**
 * Where a page belongs. Network: what touches switch ports. Inventory: what we know we have.
 * Operations: work in flight and its record. Billing: money. Admin: how the console itself runs.
 */
export const NAV_GROUPS = ["Overview", "Network", "Inventory", "Operations", "Billing", "Admin"] as const;
export type NavGroup = (typeof NAV_GROUPS)[number];

export interface NavItem {
  href: string;
  label: string;
  group: NavGroup;
  access: Access;
  /** Which issue builds it; pages not built yet say so plainly. */
  isBuilt: boolean;
  summary: string;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { href: "/it", group: "Overview", label: "Dashboard", access: "viewer", isBuilt: true, summary: "Health of the database and workers." },
  { href: "/it/ipam", group: "Inventory", label: "IPAM", access: "viewer", isBuilt: true, summary: "Subnets, addresses and utilization." },
  { href: "/it/vlans", group: "Inventory", label: "VLANs", access: "viewer", isBuilt: true, summary: "The VLAN plan." },
  {
    href: "/it/ports",
    group: "Network",
    label: "Port map",
    access: "viewer",
    isBuilt: true,
    summary: "Hostname to patch panel: the edge path, the physical port map and its findings.",
  },
  { href: "/it/proxmox", group: "Inventory", label: "Proxmox", access: "viewer", isBuilt: true, summary: "Nodes, guests and the port-security preview." },
  {
    href: "/it/hosts",
    group: "Inventory",
    label: "Hosts",
    access: "viewer",
    isBuilt: true,
    summary: "Node capacity, allocation, use, and where new workloads fit.",
  },
  {
    href: "/it/port-security",
    group: "Network",
    label: "Port security",
    access: "viewer",
    isBuilt: true,
    summary: "Events from the panel and what became of them.",
  },
  {
    href: "/it/why",
    group: "Network",
    label: "Why (not) bound?",
    access: "viewer",
    isBuilt: true,
    summary: "For one IP: Tenantos, the rules, the push and the switch.",
  },
  { href: "/it/switches", group: "Network", label: "Switches", access: "viewer", isBuilt: true, summary: "Junos switches, backups, pushes and Apply All." },
  { href: "/it/virtual-macs", group: "Network", label: "Virtual MACs", access: "viewer", isBuilt: true, summary: "One MAC per additional IP." },
  { href: "/it/drift", group: "Inventory", label: "Drift", access: "viewer", isBuilt: true, summary: "Live versus declared inventory." },
  { href: "/it/provisioning", group: "Operations", label: "Provisioning", access: "viewer", isBuilt: true, summary: "Servers being set up." },
  // Licences are commercial (entitlements, seats bought): finance and IT admins, like billing.
  { href: "/it/licenses", group: "Billing", label: "Licenses", access: "finance", isBuilt: true, summary: "Software licenses and their seats." },
  { href: "/it/billing", group: "Billing", label: "Billing", access: "finance", isBuilt: true, summary: "Usage, invoices and CSV export." },
  {
    href: "/it/approvals",
    group: "Operations",
    label: "Approvals",
    access: "viewer",
    isBuilt: true,
    summary: "Destructive changes waiting for a second admin.",
  },
  { href: "/it/jobs", group: "Operations", label: "Jobs", access: "viewer", isBuilt: true, summary: "Queued, running and failed background jobs." },
  { href: "/it/audit", group: "Admin", label: "Audit", access: "viewer", isBuilt: true, summary: "Who changed what, and when." },
  { href: "/it/settings", group: "Admin", label: "Settings", access: "viewer", isBuilt: true, summary: "VLAN allowlist, backup schedule." },
];

export function findNavItem(href: string): NavItem | undefined {
  return NAV_ITEMS.find((i) => i.href === href);
}

/** The items in their groups, groups in NAV_GROUPS order, empty groups left out. */
export function groupNavItems(items: readonly NavItem[]): { group: NavGroup; items: NavItem[] }[] {
  return NAV_GROUPS.map((group) => ({ group, items: items.filter((i) => i.group === group) })).filter((g) => g.items.length > 0);
}

/** The section a path is in: the longest item href that is the path or a parent of it. */
export function findNavItemForPath(pathname: string, items: readonly NavItem[] = NAV_ITEMS): NavItem | undefined {
  const path = pathname.replace(/\/+$/, "") || "/";
  return items.filter((i) => path === i.href || (i.href !== "/it" && path.startsWith(`${i.href}/`))).sort((a, b) => b.href.length - a.href.length)[0];
}

export interface Breadcrumb {
  label: string;
  /** Absent for the group (not a page) and for the page itself. */
  href?: string;
}

/** Group › section › the path's further segments (decoded), e.g. Network › Switches › sw1. */
export function buildBreadcrumbs(pathname: string, items: readonly NavItem[] = NAV_ITEMS): Breadcrumb[] {
  const item = findNavItemForPath(pathname, items);
  if (!item || item.href === "/it") return [];
  const rest = pathname
    .slice(item.href.length)
    .split("/")
    .filter(Boolean)
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    });
  const crumbs: Breadcrumb[] = [{ label: item.group }, { label: item.label, href: rest.length ? item.href : undefined }];
  let href = item.href;
  rest.forEach((segment, i) => {
    href += `/${encodeURIComponent(segment)}`;
    crumbs.push({ label: segment, href: i < rest.length - 1 ? href : undefined });
  });
  return crumbs;
}
