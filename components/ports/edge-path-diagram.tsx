import Link from "next/link";
import type { PathDiagram } from "@/lib/edge/path-diagram";

/**
 * An edge path drawn as boxes joined by arrows, hostname first. It is an ordered list, so a screen
 * reader reads the hops in order with their kind; each hop the console has a page for links to it.
 */
export function EdgePathDiagram({ diagram }: { diagram: PathDiagram }) {
  return (
    <ol className="flex flex-wrap items-stretch gap-y-2 text-xs" aria-label={`Path diagram of ${diagram.title}`} data-testid="edge-path-diagram">
      {diagram.steps.map((s, i) => (
        <li key={i} className="flex items-center" data-kind={s.kind}>
          {i > 0 && (
            <svg aria-hidden="true" width="24" height="12" viewBox="0 0 24 12" className="text-muted-foreground shrink-0">
              <path d="M1 6h19m-5-4 5 4-5 4" fill="none" stroke="currentColor" strokeWidth="1.5" />
            </svg>
          )}
          <span
            className={`grid max-w-56 gap-0.5 rounded-md border px-2 py-1 ${s.isUnconfirmed ? "border-dashed" : ""} ${s.isStale ? "border-warning bg-warning/10" : "bg-card"}`}
            title={s.detail ?? undefined}
          >
            <span className="text-muted-foreground">
              {s.kindLabel}
              {s.isUnconfirmed ? " · unconfirmed" : ""}
              {s.isStale ? " · stale" : ""}
            </span>
            {s.href ? (
              <Link className="font-mono break-all underline" href={s.href}>
                {s.label}
              </Link>
            ) : (
              <span className="font-mono break-all">{s.label}</span>
            )}
          </span>
        </li>
      ))}
    </ol>
  );
}
