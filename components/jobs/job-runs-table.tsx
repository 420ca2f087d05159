import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { DataTable, type DataTableColumn, type DataTableFilter } from "@/components/ui/data-table";
import { Time } from "@/components/ui/time";
import { JOB_RUN_OUTCOMES, JOB_TASKS } from "@/lib/jobs/jobs-table";
import type { SortDir } from "@/lib/table/url-state";
import type { ListPage } from "@/server/db/list-query";
import type { JobRunView } from "@/server/services/platform/queries";

const VARIANT = { succeeded: "secondary", retried: "warning", failed: "destructive" } as const;

/** Seconds with a unit a person reads at a glance: 840 ms, 12.4 s, 3 min 05 s. */
function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
}

const COLUMNS: DataTableColumn[] = [
  { id: "task", header: "Task", isSortable: true },
  { id: "outcome", header: "Outcome", isSortable: true },
  { id: "started", header: "Started" },
  { id: "finished", header: "Finished", isSortable: true },
  { id: "duration", header: "Duration", isSortable: true },
  { id: "attempt", header: "Attempt" },
  { id: "trigger", header: "Started by" },
  { id: "evidence", header: "Evidence" },
  { id: "error", header: "Error" },
];

// `task`, `outcome`, `from`, `to`: the params the page always read (links keep working).
const FILTERS: DataTableFilter[] = [
  { kind: "select", param: "task", label: "Task", options: JOB_TASKS },
  { kind: "select", param: "outcome", label: "Outcome", options: JOB_RUN_OUTCOMES },
  { kind: "dateRange", label: "Finished", from: "from", to: "to" },
];

/** Finished runs of jobs (job_runs), one page of the view the link names. */
export function JobRunsTable({ page, state }: { page: ListPage<JobRunView>; state: { sort: string; dir: SortDir; page: number; pageSize: number } }) {
  return (
    <DataTable
      label="Finished runs"
      testId="job-runs-table"
      columns={COLUMNS}
      filters={FILTERS}
      state={state}
      total={page.total}
      isTotalCapped={page.isTotalCapped}
      emptyText="No finished runs match."
      rows={page.rows.map((r) => ({
        id: r.id,
        cells: {
          task: (
            <span className="font-mono text-xs">
              {r.task} <span className="text-muted-foreground">#{r.jobId}</span>
            </span>
          ),
          outcome: <Badge variant={VARIANT[r.outcome]}>{r.outcome}</Badge>,
          started: <Time value={r.startedAt} />,
          finished: <Time value={r.finishedAt} />,
          duration: <span className="text-xs whitespace-nowrap">{formatDuration(r.durationMs)}</span>,
          attempt: `${r.attempt}/${r.maxAttempts}`,
          trigger: (
            <span className="text-xs">
              <span className="font-medium">{r.triggerKind}</span>
              {r.triggerRef && <span className="text-muted-foreground"> · {r.triggerRef}</span>}
            </span>
          ),
          evidence: <span className="text-xs">{r.evidence ? <EvidenceLink {...r.evidence} /> : "—"}</span>,
          error: (
            <span className="block max-w-96 truncate font-mono text-xs" title={r.error ?? ""}>
              {r.error ?? "—"}
            </span>
          ),
        },
      }))}
    />
  );
}

/**
 * A page is a Link; a file (a backup under /api/…) is a plain link. Next prefetches every Link in
 * view, and a prefetched download kept the page from ever going quiet (the a11y scan and
 * `npm run screens` waited on /it/jobs until they timed out).
 */
function EvidenceLink({ label, href }: { label: string; href: string | null }) {
  if (!href) return <>{label}</>;
  if (href.startsWith("/api/"))
    return (
      <a className="underline" href={href}>
        {label}
      </a>
    );
  return (
    <Link className="underline" href={href}>
      {label}
    </Link>
  );
}
