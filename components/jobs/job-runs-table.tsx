import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Time } from "@/components/ui/time";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow, TableEmpty } from "@/components/ui/table";
import type { JobRunView } from "@/server/services/platform/queries";

const VARIANT = { succeeded: "secondary", retried: "warning", failed: "destructive" } as const;

/** Seconds with a unit a person reads at a glance: 840 ms, 12.4 s, 3 min 05 s. */
function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
}

/** Finished runs of jobs (job_runs), one page; the filters and pages are the page's (URL) business. */
export function JobRunsTable({ runs }: { runs: JobRunView[] }) {
  return (
    <Table data-testid="job-runs-table">
      <TableHeader>
        <TableRow>
          <TableHead>Task</TableHead>
          <TableHead>Outcome</TableHead>
          <TableHead>Started</TableHead>
          <TableHead>Finished</TableHead>
          <TableHead>Duration</TableHead>
          <TableHead>Attempt</TableHead>
          <TableHead>Started by</TableHead>
          <TableHead>Evidence</TableHead>
          <TableHead>Error</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {runs.length === 0 && <TableEmpty colSpan={9}>No finished runs match.</TableEmpty>}
        {runs.map((r) => (
          <TableRow key={r.id} data-testid="job-run">
            <TableCell className="font-mono text-xs">
              {r.task} <span className="text-muted-foreground">#{r.jobId}</span>
            </TableCell>
            <TableCell>
              <Badge variant={VARIANT[r.outcome]}>{r.outcome}</Badge>
            </TableCell>
            <TableCell>
              <Time value={r.startedAt} />
            </TableCell>
            <TableCell>
              <Time value={r.finishedAt} />
            </TableCell>
            <TableCell className="text-xs whitespace-nowrap">{formatDuration(r.durationMs)}</TableCell>
            <TableCell>
              {r.attempt}/{r.maxAttempts}
            </TableCell>
            <TableCell className="text-xs">
              <span className="font-medium">{r.triggerKind}</span>
              {r.triggerRef && <span className="text-muted-foreground"> · {r.triggerRef}</span>}
            </TableCell>
            <TableCell className="text-xs">
              {r.evidence ? r.evidence.href ? <Link href={r.evidence.href}>{r.evidence.label}</Link> : r.evidence.label : "—"}
            </TableCell>
            <TableCell className="max-w-96 truncate font-mono text-xs" title={r.error ?? ""}>
              {r.error ?? "—"}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
