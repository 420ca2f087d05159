import { Time } from "@/components/ui/time";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow, TableEmpty } from "@/components/ui/table";
import type { JobRow } from "@/server/services/platform/jobs";
import { RetryJobButton } from "./retry-job-button";

const VARIANT = { queued: "secondary", running: "default", retrying: "warning", failed: "destructive" } as const;

export function JobsTable({ jobs, canRetry }: { jobs: JobRow[]; canRetry: boolean }) {
  return (
    <Table data-testid="jobs-table">
      <TableHeader>
        <TableRow>
          <TableHead>ID</TableHead>
          <TableHead>Task</TableHead>
          <TableHead>Queue</TableHead>
          <TableHead>State</TableHead>
          <TableHead>Attempts</TableHead>
          <TableHead>Run at (UTC)</TableHead>
          <TableHead>Last error</TableHead>
          {canRetry && <TableHead />}
        </TableRow>
      </TableHeader>
      <TableBody>
        {jobs.length === 0 && <TableEmpty colSpan={8}>No jobs.</TableEmpty>}
        {jobs.map((j) => (
          <TableRow key={j.id}>
            <TableCell className="font-mono text-xs">{j.id}</TableCell>
            <TableCell className="font-mono text-xs">{j.task}</TableCell>
            <TableCell className="font-mono text-xs">{j.queue ?? "—"}</TableCell>
            <TableCell>
              <Badge variant={VARIANT[j.state]}>{j.state}</Badge>
            </TableCell>
            <TableCell>
              {j.attempts}/{j.maxAttempts}
            </TableCell>
            <TableCell className="font-mono text-xs">
              <Time value={j.runAt} />
            </TableCell>
            <TableCell className="max-w-96 truncate font-mono text-xs" title={j.lastError ?? ""}>
              {j.lastError ?? "—"}
            </TableCell>
            {canRetry && <TableCell>{j.state !== "running" && <RetryJobButton jobId={j.id} />}</TableCell>}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
