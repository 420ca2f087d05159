import { sql, type SQL } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import { STALE_AFTER_MS } from "@/lib/inventory/snapshot";
import { normalizeMac } from "@/lib/net/mac";
import { parseIpAddress } from "@/lib/net/ip";
import {
  findCoverageGaps,
  isHeldAt,
  overlapsWindow,
  toTimelineEntry,
  type TimelineEntry,
  type TimelineKind,
  type TimelinePeriod,
} from "@/lib/timeline/history";
import type { DbOrTx } from "@/server/db/client";

/** An address page's subject: a host address, or a MAC (its periods across addresses). */
export type AddressSubject = { kind: "ip"; ip: string } | { kind: "mac"; mac: string };

export function parseAddressSubject(text: string): AddressSubject {
  const mac = normalizeMac(text);
  if (mac) return { kind: "mac", mac };
  try {
    return { kind: "ip", ip: parseIpAddress(text.trim()).ip };
  } catch {
    throw new AppError("BAD_REQUEST", `"${text.slice(0, 80)}" is neither an IP address nor a MAC address`, { field: "address" });
  }
}

export interface AddressHistory {
  address: string;
  at?: string;
  from?: string;
  to?: string;
  holders: TimelineEntry[];
  coverage: { is_complete: boolean; gaps: Array<{ from: string; to: string; reason: string }> };
  timeline: TimelineEntry[];
  /** More periods matched than are returned (the newest are kept). */
  is_truncated: boolean;
}

export const HISTORY_MAX_PERIODS = 2_000;

type PeriodRow = {
  kind: TimelineKind;
  address: string;
  valid_from: Date;
  valid_to: Date | null;
  tenantos_server_id: number | null;
  switch_id: number | null;
  switch_name: string | null;
  interface: string | null;
  mac: string | null;
  vlan: string | null;
  vmid: number | null;
  node: string | null;
  hostname: string | null;
  status: string | null;
  owner: string | null;
  last_seen_at: Date | null;
  evidence_type: string;
  evidence_id: string;
  end_evidence_type: string | null;
  end_evidence_id: string | null;
};

function toPeriod(r: PeriodRow): TimelinePeriod & { address: string } {
  const d = (v: Date | string | null) => (v === null ? null : v instanceof Date ? v : new Date(v));
  return {
    address: r.address,
    kind: r.kind,
    from: d(r.valid_from)!,
    to: d(r.valid_to),
    tenantosServerId: r.tenantos_server_id,
    switchId: r.switch_id,
    switchName: r.switch_name,
    interface: r.interface,
    mac: r.mac,
    vlan: r.vlan,
    vmid: r.vmid,
    node: r.node,
    hostname: r.hostname,
    status: r.status,
    owner: r.owner,
    lastSeenAt: d(r.last_seen_at),
    evidence: { type: r.evidence_type, id: r.evidence_id },
    endEvidence: r.end_evidence_type && r.end_evidence_id ? { type: r.end_evidence_type, id: r.end_evidence_id } : null,
  };
}

type HistoryQuestion = { at?: Date; from?: Date; to?: Date };

/**
 * The history's three reads (since when the record runs, the subject's periods, the collections
 * around the window): none needs another's answer, so they run side by side. Where the question
 * gives no start, the record's start is read inside the queries that need it.
 */
export function listHistoryQueries(subject: AddressSubject, q: HistoryQuestion, now: Date): Array<[string, SQL]> {
  const iso = (d: Date) => sql`${d.toISOString()}::timestamptz`;
  const recordingSince = sql`coalesce((select recording_since from address_timeline_coverage where id = 1), 'epoch'::timestamptz)`;
  const from = (q.at ?? q.from) ? iso((q.at ?? q.from)!) : recordingSince;
  const to = iso(q.at ?? q.to ?? now);
  const isWindow = Boolean(q.from || q.to);
  const where = subject.kind === "ip" ? sql`address = ${subject.ip}::inet` : sql`mac = ${subject.mac}`;
  // A point in time shows the address's whole story around it; a window only what overlaps it.
  const windowSql = isWindow ? sql` and valid_from <= ${to} and (valid_to is null or valid_to > ${from})` : sql``;
  return [
    ["coverage", sql`select recording_since::text, pruned_before::text from address_timeline_coverage where id = 1`],
    [
      "periods",
      sql`select kind, host(address) as address, valid_from, valid_to, tenantos_server_id, switch_id, switch_name, interface, mac, vlan, vmid, node, hostname,
      status, owner, last_seen_at, evidence_type, evidence_id, end_evidence_type, end_evidence_id
    from (select * from address_timeline where ${where}${windowSql} order by valid_from desc, id desc limit ${HISTORY_MAX_PERIODS + 1}) t
    order by valid_from, id`,
    ],
    [
      "collections",
      sql`(select collected_at::text as at from address_timeline_collections where source = 'proxmox' and collected_at < ${from} order by collected_at desc limit 1)
    union all
    (select collected_at::text from address_timeline_collections where source = 'proxmox' and collected_at >= ${from} and collected_at <= ${to} order by collected_at limit 5000)
    union all
    (select collected_at::text from address_timeline_collections where source = 'proxmox' and collected_at > ${to} order by collected_at limit 1)`,
    ],
  ];
}

/**
 * Who held an address (or a MAC) and when: every period, the holders at `at` (or over the window),
 * and where the record cannot tell. One indexed read of the address's periods, beside the record's
 * start and the collection times around the window (the gaps come from those, never from guessing).
 */
export async function getAddressHistory(db: DbOrTx, subjectText: string, q: HistoryQuestion = {}, now = new Date()): Promise<AddressHistory> {
  const subject = parseAddressSubject(subjectText);
  if (q.at && (q.from || q.to)) throw new AppError("BAD_REQUEST", "ask either at= or from=/to=, not both", { field: "at" });
  if (q.from && q.to && q.from.getTime() > q.to.getTime()) throw new AppError("BAD_REQUEST", "from= is after to=", { field: "from" });
  const [coverageQuery, periodsQuery, collectionsQuery] = listHistoryQueries(subject, q, now).map(([, query]) => query);
  const [[coverage], rows, collections] = await Promise.all([
    db.execute<{ recording_since: string; pruned_before: string | null }>(coverageQuery!),
    db.execute<PeriodRow>(periodsQuery!),
    db.execute<{ at: string }>(collectionsQuery!),
  ]);
  // The whole history starts where the record does (what came before is not a gap in it).
  const from = q.at ?? q.from ?? (coverage ? new Date(coverage.recording_since) : new Date(0));
  const to = q.at ?? q.to ?? now;
  if (from.getTime() > to.getTime()) throw new AppError("BAD_REQUEST", "from= is after to=", { field: "from" });
  const isWindow = Boolean(q.from || q.to);
  const isTruncated = rows.length > HISTORY_MAX_PERIODS;
  const periods = rows
    .slice(isTruncated ? 1 : 0)
    .map((r) => toPeriod({ ...r, valid_from: new Date(r.valid_from), valid_to: r.valid_to && new Date(r.valid_to) }));
  const gaps = findCoverageGaps({
    from,
    to,
    now,
    recordingSince: coverage ? new Date(coverage.recording_since) : now,
    prunedBefore: coverage?.pruned_before ? new Date(coverage.pruned_before) : null,
    collections: collections.map((c) => new Date(c.at)).sort((a, b) => a.getTime() - b.getTime()),
    maxCollectionGapMs: STALE_AFTER_MS,
  });
  const holders = q.at
    ? periods.filter((p) => isHeldAt(p, q.at!))
    : isWindow
      ? periods.filter((p) => overlapsWindow(p, from, to))
      : periods.filter((p) => p.to === null);
  const withAddress = (p: TimelinePeriod & { address: string }) =>
    subject.kind === "mac" ? { ...toTimelineEntry(p), address: p.address } : toTimelineEntry(p);
  return {
    address: subject.kind === "ip" ? subject.ip : subject.mac,
    ...(q.at ? { at: q.at.toISOString() } : {}),
    ...(isWindow ? { from: from.toISOString(), to: to.toISOString() } : {}),
    holders: holders.map(withAddress),
    coverage: { is_complete: gaps.length === 0, gaps: gaps.map((g) => ({ from: g.from.toISOString(), to: g.to.toISOString(), reason: g.reason })) },
    timeline: periods.map(withAddress),
    is_truncated: isTruncated,
  };
}

/** Where a period's evidence is shown in the console. */
export function findEvidenceHref(e: { type: string; id: string }, p: { switchId?: number | null; serverId?: number | null } = {}): string | null {
  switch (e.type) {
    case "port_security_event":
      // The events page lists a server's events (the id is shown in the link's text).
      return p.serverId ? `/it/port-security?server=${p.serverId}` : "/it/port-security";
    case "switch_push":
      return p.switchId ? `/it/switches/${p.switchId}?push=${encodeURIComponent(e.id)}` : null;
    case "vmac_event":
      return `/it/virtual-macs`;
    case "inventory_snapshot":
      return `/it/hosts`;
    case "ipam_address":
      return `/it/ipam?q=${encodeURIComponent(e.id)}&history=${encodeURIComponent(e.id)}`;
    default:
      return null;
  }
}

export interface AddressOverview {
  ipam: { status: string; owner_team: string | null; hostname: string | null; vmid: number | null; service: string | null; prefix: string | null } | null;
  /** NPM proxy hosts (latest good collection) that forward to this address. */
  edge_hostnames: Array<{ domain: string; proxy_host_id: number }>;
}

/** What an IP is now beyond its open periods: its IPAM record and the edge names pointing at it. */
export async function getAddressOverview(db: DbOrTx, ip: string): Promise<AddressOverview> {
  const [ipam] = await db.execute<AddressOverview["ipam"] & object>(sql`
    select a.status, a.owner_team, a.hostname, a.vmid, a.service, p.prefix::text as prefix
    from ipam_addresses a left join ipam_prefixes p on p.id = a.prefix_id where a.address = ${ip}::inet`);
  const edge = await db.execute<{ domain: string; proxy_host_id: number }>(sql`
    with latest as (select data from edge_snapshots where source = 'npm' and status = 'ok' order by started_at desc limit 1)
    select d.domain, (h.value->>'id')::int as proxy_host_id
    from latest, jsonb_array_elements(latest.data->'proxyHosts') h, jsonb_array_elements_text(h.value->'domainNames') d(domain)
    where h.value->>'forwardHost' = ${ip}
       or exists (select 1 from jsonb_array_elements(coalesce(h.value->'locations', '[]'::jsonb)) l where l.value->>'forwardHost' = ${ip})
    order by d.domain`);
  return { ipam: ipam ?? null, edge_hostnames: [...edge] };
}
