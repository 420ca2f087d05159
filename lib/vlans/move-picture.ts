import type { MovePlan } from "./moves";

// The VLAN plan as a picture: hosts grouped by the VLAN they are on now (left), a line from each to
// the VLAN it moves to (right), coloured by how the move stands. Pure layout in SVG units: the page
// draws it, and the moves table beside it stays the text of record.

/** done: marked done and seen live · failed: blocked, or marked done and not live · pending: the rest. */
export type MoveOutcome = "done" | "pending" | "failed";

export function computeMoveOutcome(m: Pick<MovePlan, "displayStatus" | "liveCheck">): MoveOutcome {
  if (m.displayStatus === "blocked" || m.liveCheck?.state === "not-live") return "failed";
  if (m.displayStatus === "done" && m.liveCheck?.state === "live") return "done";
  return "pending";
}

export const LAYOUT = { width: 640, row: 24, header: 22, gap: 12, hostWidth: 250, targetX: 420, targetWidth: 220 } as const;

export interface PictureBox {
  /** null: the host holds no active IPAM address on a prefix with a VLAN. */
  vid: number | null;
  label: string;
  y: number;
  height: number;
}

export interface PictureHost {
  id: number;
  hostname: string;
  /** The text shown in its box and read aloud: host, where it is, where it goes, how the move stands. */
  text: string;
  statusText: string;
  outcome: MoveOutcome;
  targetVid: number;
  y: number;
  /** The line to the target VLAN's box, from the host box's right edge to a point on the target box's left edge. */
  link: { x1: number; y1: number; x2: number; y2: number };
}

export interface MovePicture {
  width: number;
  height: number;
  groups: PictureBox[];
  targets: PictureBox[];
  hosts: PictureHost[];
  counts: Record<MoveOutcome, number>;
}

const STATUS_TEXT: Record<MovePlan["displayStatus"], string> = {
  planned: "planned",
  ready: "ready",
  blocked: "blocked",
  in_progress: "in progress",
  done: "done",
};

const vlanLabel = (vid: number | null, names: ReadonlyMap<number, string>) =>
  vid === null ? "no VLAN in IPAM" : `VLAN ${vid}${names.has(vid) ? ` · ${names.get(vid)}` : ""}`;

/** Lays the moves out: current VLANs top to bottom (by VID, "none" last), hosts by name in each; target VLANs by VID. */
export function computeMovePicture(
  moves: ReadonlyArray<Pick<MovePlan, "id" | "hostname" | "current" | "targetVid" | "displayStatus" | "liveCheck">>,
  vlans: ReadonlyArray<{ vid: number; name: string }>,
): MovePicture {
  const { row, header, gap, hostWidth, targetX, width } = LAYOUT;
  const names = new Map(vlans.map((v) => [v.vid, v.name]));
  const currentVid = (m: (typeof moves)[number]) => m.current.find((c) => c.vid !== null)?.vid ?? null;
  const byVid = (a: number | null, b: number | null) => (a === null ? 1 : b === null ? -1 : a - b);

  const groups: PictureBox[] = [];
  const placed: Array<{ m: (typeof moves)[number]; y: number }> = [];
  let y = 0;
  for (const vid of [...new Set(moves.map(currentVid))].sort(byVid)) {
    const members = moves.filter((m) => currentVid(m) === vid).sort((a, b) => a.hostname.localeCompare(b.hostname));
    const height = header + members.length * row;
    groups.push({ vid, label: vlanLabel(vid, names), y, height });
    members.forEach((m, i) => placed.push({ m, y: y + header + i * row }));
    y += height + gap;
  }
  const leftHeight = Math.max(0, y - gap);

  // Target boxes share the height: each as tall as the lines landing on it.
  const targetVids = [...new Set(moves.map((m) => m.targetVid))].sort((a, b) => a - b);
  const targets: PictureBox[] = [];
  let ty = 0;
  for (const vid of targetVids) {
    const incoming = moves.filter((m) => m.targetVid === vid).length;
    const height = header + incoming * row;
    targets.push({ vid, label: vlanLabel(vid, names), y: ty, height });
    ty += height + gap;
  }
  const landed = new Map<number, number>();
  const hosts = placed.map(({ m, y: hy }): PictureHost => {
    const target = targets.find((t) => t.vid === m.targetVid)!;
    const slot = landed.get(m.targetVid) ?? 0;
    landed.set(m.targetVid, slot + 1);
    const outcome = computeMoveOutcome(m);
    const statusText =
      m.liveCheck?.state === "not-live" ? "done, not live" : m.liveCheck?.state === "unknown" ? "done, not checked yet" : STATUS_TEXT[m.displayStatus];
    const from = m.current.length ? m.current.map((c) => c.address).join(", ") : "no active address";
    return {
      id: m.id,
      hostname: m.hostname,
      text: `${m.hostname} (${from}) → VLAN ${m.targetVid}: ${statusText}`,
      statusText,
      outcome,
      targetVid: m.targetVid,
      y: hy,
      link: { x1: hostWidth, y1: hy + row / 2, x2: targetX, y2: target.y + header + slot * row + row / 2 },
    };
  });
  const counts: Record<MoveOutcome, number> = { done: 0, pending: 0, failed: 0 };
  for (const h of hosts) counts[h.outcome]++;
  return { width, height: Math.max(leftHeight, ty - gap, 0), groups, targets, hosts, counts };
}
