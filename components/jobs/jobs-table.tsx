import { Badge } from "@/components/ui/badge";
import { DataTable, type DataTableColumn, type DataTableFilter } from "@/components/ui/data-table";
import { Time } from "@/components/ui/time";
import { JOB_STATES, JOB_TASKS, jobQueueTableSpec } from "@/lib/jobs/jobs-table";
import type { SortDir } from "@/lib/table/url-state";
import type { ListPage } from "@/server/db/list-query";
import type { JobRow, JobState } from "@/server/services/platform/jobs";
import { RetryJobButton } from "./retry-job-button";

const VARIANT = { queued: "secondary", running: "default", retrying: "warning", failed: "destructive" } as const;

/** graphile-worker's queue (jobs not done yet), one page of the view the link names (`queue.*` params). */
export function JobsTable({
  page,
  state,
  counts,
  canRetry,
}: {
  page: ListPage<JobRow>;
  state: { sort: string; dir: SortDir; page: number; pageSize: number };
  counts: Record<JobState, number>;
  canRetry: boolean;
}) {
  const columns: DataTableColumn[] = [
    { id: "id", header: "ID", isSortable: true },
    { id: "task", header: "Task", isSortable: true },
    { id: "queue", header: "Queue" },
    { id: "state", header: "State", isSortable: true },
    { id: "attempts", header: "Attempts", isSortable: true },
    { id: "runAt", header: "Run at", isSortable: true },
    { id: "lastError", header: "Last error" },
    ...(canRetry ? [{ id: "retry", header: "" }] : []),
  ];
  const filters: DataTableFilter[] = [
    { kind: "select", param: "state", label: "State", options: JOB_STATES.map((s) => ({ value: s, label: `${s} (${counts[s]})` })) },
    { kind: "select", param: "task", label: "Task", options: JOB_TASKS },
  ];
  return (
    <DataTable
      label="Queue"
      testId="jobs-table"
      paramPrefix={jobQueueTableSpec.paramPrefix}
      columns={columns}
      filters={filters}
      state={state}
      total={page.total}
      isTotalCapped={page.isTotalCapped}
      emptyText="No jobs."
      rows={page.rows.map((j) => ({
        id: j.id,
        cells: {
          id: <span className="font-mono text-xs">{j.id}</span>,
          task: <span className="font-mono text-xs">{j.task}</span>,
          queue: <span className="font-mono text-xs">{j.queue ?? "—"}</span>,
          state: <Badge variant={VARIANT[j.state]}>{j.state}</Badge>,
          attempts: `${j.attempts}/${j.maxAttempts}`,
          runAt: <Time value={j.runAt} />,
          lastError: (
            <span className="block max-w-96 truncate font-mono text-xs" title={j.lastError ?? ""}>
              {j.lastError ?? "—"}
            </span>
          ),
          retry: canRetry && j.state !== "running" ? <RetryJobButton jobId={j.id} /> : null,
        },
      }))}
    />
  );
}
