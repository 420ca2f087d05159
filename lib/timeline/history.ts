import { formatCsv } from "../csv/format-csv";

export type TimelineKind = "tenantos_assignment" | "switch_binding" | "vmac" | "guest" | "ipam";

/** One period as stored (times as Dates, open when `to` is null). */
export interface TimelinePeriod {
  kind: TimelineKind;
  from: Date;
  to: Date | null;
  tenantosServerId: number | null;
  switchId?: number | null;
  switchName: string | null;
  interface: string | null;
  mac: string | null;
  vlan: string | null;
  vmid: number | null;
  node: string | null;
  hostname: string | null;
  status: string | null;
  owner: string | null;
  lastSeenAt: Date | null;
  evidence: { type: string; id: string };
  endEvidence: { type: string; id: string } | null;
}

/** The API's shape of a period: snake_case, UTC with `Z`, absent fields left out. */
export interface TimelineEntry {
  kind: TimelineKind;
  from: string;
  to: string | null;
  tenantos_server_id?: number;
  switch_id?: number;
  switch?: string;
  interface?: string;
  mac?: string;
  vlan?: string;
  vmid?: number;
  node?: string;
  hostname?: string;
  status?: string;
  owner?: string;
  last_seen_at?: string;
  evidence: { type: string; id: string };
  end_evidence?: { type: string; id: string };
}

export interface Gap {
  from: Date;
  to: Date;
  reason: string;
}

export function toTimelineEntry(p: TimelinePeriod): TimelineEntry {
  const e: TimelineEntry = { kind: p.kind, from: p.from.toISOString(), to: p.to ? p.to.toISOString() : null, evidence: p.evidence };
  if (p.tenantosServerId !== null) e.tenantos_server_id = p.tenantosServerId;
  if (p.switchId !== undefined && p.switchId !== null) e.switch_id = p.switchId;
  if (p.switchName !== null) e.switch = p.switchName;
  if (p.interface !== null) e.interface = p.interface;
  if (p.mac !== null) e.mac = p.mac;
  if (p.vlan !== null) e.vlan = p.vlan;
  if (p.vmid !== null) e.vmid = p.vmid;
  if (p.node !== null) e.node = p.node;
  if (p.hostname !== null) e.hostname = p.hostname;
  if (p.status !== null) e.status = p.status;
  if (p.owner !== null) e.owner = p.owner;
  if (p.lastSeenAt !== null) e.last_seen_at = p.lastSeenAt.toISOString();
  if (p.endEvidence) e.end_evidence = p.endEvidence;
  return e;
}

/** A period holds the address at `at` from its start (included) to its end (excluded). */
export function isHeldAt(p: Pick<TimelinePeriod, "from" | "to">, at: Date): boolean {
  return p.from.getTime() <= at.getTime() && (p.to === null || at.getTime() < p.to.getTime());
}

/** A period overlaps the window [from, to]. */
export function overlapsWindow(p: Pick<TimelinePeriod, "from" | "to">, from: Date, to: Date): boolean {
  return p.from.getTime() <= to.getTime() && (p.to === null || p.to.getTime() > from.getTime());
}

/**
 * Where the record cannot answer within [from, to]: before it started (or before what pruning
 * removed), and wherever the collections that see guests were further apart than `maxCollectionGapMs`
 * (no collection ran, so a guest may have held the address unseen). With no collection at all the
 * guest source is not in use, which is not a gap. Events and pushes are recorded as they happen, so
 * they leave no gaps of their own while the record runs.
 */
export function findCoverageGaps(input: {
  from: Date;
  to: Date;
  now: Date;
  recordingSince: Date;
  prunedBefore: Date | null;
  /** Good collections' times, ascending: those inside the window and the nearest one on each side. */
  collections: Date[];
  maxCollectionGapMs: number;
}): Gap[] {
  const gaps: Gap[] = [];
  const start = new Date(Math.max(input.recordingSince.getTime(), input.prunedBefore?.getTime() ?? -Infinity));
  const isPoint = input.from.getTime() === input.to.getTime();
  // A window keeps the part of each gap inside it; a point in time keeps the whole gap around it
  // (the stretch before the record starts is shown from the point asked).
  const clip = (from: Date, to: Date, reason: string) => {
    if (isPoint) {
      const at = input.from.getTime();
      if (from.getTime() <= at && at < to.getTime()) gaps.push({ from: from.getTime() < -8e15 ? new Date(at) : from, to, reason });
      return;
    }
    const f = Math.max(from.getTime(), input.from.getTime());
    const t = Math.min(to.getTime(), input.to.getTime());
    if (f < t) gaps.push({ from: new Date(f), to: new Date(t), reason });
  };
  clip(
    new Date(-8.64e15),
    start,
    input.prunedBefore && input.prunedBefore >= input.recordingSince ? "pruned: older than the retention" : "before the record starts",
  );
  if (input.collections.length > 0) {
    const points = [start, ...input.collections.filter((c) => c.getTime() > start.getTime()), input.now];
    for (let i = 1; i < points.length; i++) {
      const a = points[i - 1]!;
      const b = points[i]!;
      if (b.getTime() - a.getTime() > input.maxCollectionGapMs) clip(a, b, "no inventory collection ran: guests are unknown");
    }
  }
  return gaps;
}

export const TIMELINE_CSV_COLUMNS = [
  "kind",
  "from",
  "to",
  "tenantos_server_id",
  "switch",
  "interface",
  "mac",
  "vlan",
  "vmid",
  "node",
  "hostname",
  "status",
  "owner",
  "evidence_type",
  "evidence_id",
] as const;

/**
 * The abuse reply's CSV: one row per period, the same entries the JSON carries, then one row per gap
 * (kind `gap`, its reason as evidence): a reply must not read "nobody" where the record is silent.
 */
export function formatTimelineCsv(entries: readonly TimelineEntry[], gaps: ReadonlyArray<{ from: string; to: string; reason: string }> = []): string {
  const gapRows = gaps.map((g) => [["gap", g.from, g.to], Array(11).fill(""), [g.reason]].flat());
  return formatCsv(
    [...TIMELINE_CSV_COLUMNS],
    [
      ...entries.map((e) => [
        e.kind,
        e.from,
        e.to ?? "",
        e.tenantos_server_id ?? "",
        e.switch ?? "",
        e.interface ?? "",
        e.mac ?? "",
        e.vlan ?? "",
        e.vmid ?? "",
        e.node ?? "",
        e.hostname ?? "",
        e.status ?? "",
        e.owner ?? "",
        e.evidence.type,
        e.evidence.id,
      ]),
      ...gapRows,
    ],
  );
}
