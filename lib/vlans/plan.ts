import ipaddr from "ipaddr.js";

// The VLAN plan: where each host sits now (the VLAN of the prefix holding its active address),
// where it should go (the VLAN of its planned address), and whether the move may start.

export interface PlanVlan {
  vid: number;
  name: string;
  status: "current" | "planned";
}
export interface PlanPrefix {
  prefix: string;
  vid: number | null;
}
export interface PlanAddress {
  address: string;
  host: string;
  status: "planned" | "active" | "deprecated" | "released";
}

export type MigrationStatus = "no-plan" | "ready" | "blocked" | "done";

export interface HostMigration {
  host: string;
  current: Array<{ address: string; vid: number | null }>;
  target: Array<{ address: string; vid: number | null }>;
  status: MigrationStatus;
  /** Why the move may not start: every failed uniqueness check, named. */
  problems: string[];
}

type Parsed = { range: [ipaddr.IPv4 | ipaddr.IPv6, number]; vid: number | null };

function vlanOf(address: string, prefixes: readonly Parsed[]): number | null {
  const ip = ipaddr.parse(address);
  let best: Parsed | undefined;
  for (const p of prefixes) {
    if (p.range[0].kind() !== ip.kind() || !ip.match(p.range)) continue;
    if (!best || p.range[1] > best.range[1]) best = p;
  }
  return best?.vid ?? null;
}

/**
 * Per host: its active addresses with their VLAN now, its planned ones with their target VLAN,
 * and the checks a move must pass: the planned address is seen live on no other guest and sits in
 * a planned VLAN's prefix (IPAM's unique index already keeps two hosts from claiming it).
 */
export function planVlanMigration(input: {
  vlans: readonly PlanVlan[];
  prefixes: readonly PlanPrefix[];
  addresses: readonly PlanAddress[];
  live: ReadonlyArray<{ host: string; ips: readonly string[] }>;
}): HostMigration[] {
  const prefixes: Parsed[] = input.prefixes.map((p) => ({ range: ipaddr.parseCIDR(p.prefix), vid: p.vid }));
  const planned = new Set(input.vlans.filter((v) => v.status === "planned").map((v) => v.vid));
  const liveOn = new Map<string, Set<string>>();
  for (const g of input.live) for (const ip of g.ips) liveOn.set(ip, (liveOn.get(ip) ?? new Set()).add(g.host));
  const hosts = [...new Set(input.addresses.map((a) => a.host))].sort();
  return hosts.map((host) => {
    const mine = input.addresses.filter((a) => a.host === host);
    const current = mine.filter((a) => a.status === "active").map((a) => ({ address: a.address, vid: vlanOf(a.address, prefixes) }));
    const target = mine.filter((a) => a.status === "planned").map((a) => ({ address: a.address, vid: vlanOf(a.address, prefixes) }));
    const problems: string[] = [];
    for (const t of target) {
      const liveElsewhere = [...(liveOn.get(t.address) ?? [])].filter((h) => h !== host);
      if (liveElsewhere.length) problems.push(`${t.address} is live on ${liveElsewhere.join(", ")}`);
      if (t.vid === null) problems.push(`${t.address} is in no prefix with a VLAN`);
      else if (!planned.has(t.vid)) problems.push(`${t.address} is on VLAN ${t.vid}, which is not a planned VLAN`);
    }
    const isDone = target.length === 0 && current.length > 0 && current.every((c) => c.vid !== null && planned.has(c.vid));
    const status: MigrationStatus = isDone ? "done" : target.length === 0 ? "no-plan" : problems.length ? "blocked" : "ready";
    return { host, current, target, status, problems };
  });
}
