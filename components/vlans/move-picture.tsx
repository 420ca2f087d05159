import { computeMovePicture, LAYOUT, type MoveOutcome } from "@/lib/vlans/move-picture";
import type { MovePlan } from "@/lib/vlans/moves";

const COLOURS: Record<MoveOutcome, string> = { done: "#16a34a", pending: "#d97706", failed: "#dc2626" };
const OUTCOMES: MoveOutcome[] = ["done", "pending", "failed"];

/**
 * The VLAN plan as current → target: hosts in the box of the VLAN they are on now, a line to the VLAN
 * they move to, coloured done / pending / failed. Drawn from the plan the page's tables read; the SVG's
 * description lists every move in words, and the wave tables below hold the checks.
 */
export function MovePicture({ moves, vlans }: { moves: MovePlan[]; vlans: ReadonlyArray<{ vid: number; name: string }> }) {
  if (moves.length === 0) return null;
  const pic = computeMovePicture(moves, vlans);
  const { row, hostWidth, targetX, targetWidth } = LAYOUT;
  const summary = `${moves.length} planned move${moves.length === 1 ? "" : "s"}: ${pic.counts.done} done, ${pic.counts.pending} pending, ${pic.counts.failed} failed`;
  return (
    <figure className="grid gap-2" data-testid="vlan-move-picture">
      <figcaption className="flex flex-wrap items-center gap-4 text-sm">
        <span>{summary}.</span>
        {OUTCOMES.map((o) => (
          <span key={o} className="inline-flex items-center gap-1">
            <span aria-hidden="true" className="inline-block h-3 w-3 rounded-sm" style={{ background: COLOURS[o] }} />
            {o}
          </span>
        ))}
      </figcaption>
      {/* Focusable so that a keyboard can scroll the picture on a narrow screen. */}
      <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="VLAN plan picture">
        <svg
          role="img"
          aria-labelledby="vlan-move-picture-title vlan-move-picture-desc"
          viewBox={`0 0 ${pic.width} ${pic.height}`}
          width={pic.width}
          height={pic.height}
          className="text-foreground max-w-none"
          fontSize={12}
        >
          <title id="vlan-move-picture-title">VLAN plan, current VLAN to target VLAN per host</title>
          <desc id="vlan-move-picture-desc">{`${summary}. ${pic.hosts.map((h) => h.text).join(". ")}.`}</desc>
          <defs>
            {OUTCOMES.map((o) => (
              <marker key={o} id={`vlan-arrow-${o}`} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
                <path d="M0 0 10 5 0 10z" fill={COLOURS[o]} />
              </marker>
            ))}
          </defs>
          {pic.groups.map((g) => (
            <g key={`from-${g.vid}`} data-current-vid={g.vid ?? "none"}>
              <rect x={0.5} y={g.y + 0.5} width={hostWidth - 1} height={g.height - 1} rx={6} className="fill-muted stroke-border" />
              <text x={8} y={g.y + 15} fill="currentColor" fontWeight={600}>
                {g.label}
              </text>
            </g>
          ))}
          {pic.targets.map((t) => (
            <g key={`to-${t.vid}`} data-target-vid={t.vid}>
              <rect x={targetX + 0.5} y={t.y + 0.5} width={targetWidth - 1} height={t.height - 1} rx={6} className="fill-muted stroke-border" />
              <text x={targetX + 8} y={t.y + 15} fill="currentColor" fontWeight={600}>
                {t.label}
              </text>
            </g>
          ))}
          {pic.hosts.map((h) => {
            const { x1, y1, x2, y2 } = h.link;
            const mid = (x1 + x2) / 2;
            return (
              <g key={h.id} data-host={h.hostname} data-outcome={h.outcome}>
                <rect x={6} y={h.y + 2} width={4} height={row - 4} fill={COLOURS[h.outcome]} />
                <text x={16} y={h.y + row / 2 + 4} fill="currentColor">
                  {h.hostname.length > 22 ? `${h.hostname.slice(0, 21)}…` : h.hostname} · {h.statusText}
                </text>
                <path
                  d={`M${x1} ${y1} C${mid} ${y1} ${mid} ${y2} ${x2 - 2} ${y2}`}
                  fill="none"
                  stroke={COLOURS[h.outcome]}
                  strokeWidth={1.5}
                  strokeDasharray={h.outcome === "pending" ? "4 3" : undefined}
                  markerEnd={`url(#vlan-arrow-${h.outcome})`}
                />
              </g>
            );
          })}
        </svg>
      </div>
    </figure>
  );
}
