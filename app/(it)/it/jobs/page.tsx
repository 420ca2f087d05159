import { JobRunsTable } from "@/components/jobs/job-runs-table";
import { JobsTable } from "@/components/jobs/jobs-table";
import { PageHeader } from "@/components/shell/page-header";
import { hasAccess } from "@/lib/auth/roles";
import { jobQueueTableSpec, jobRunsTableSpec } from "@/lib/jobs/jobs-table";
import { parseTableState } from "@/lib/table/url-state";
import { requirePageAccess } from "@/server/auth/guard";
import { getServerCaller } from "@/server/trpc/server";

export const metadata = { title: "Jobs" };

type Search = Record<string, string | string[] | undefined>;

export default async function JobsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requirePageAccess("viewer");
  const search = await searchParams;
  // Two tables, one URL: the queue's view under `queue.*`, the finished runs' under plain names.
  const queueView = parseTableState(jobQueueTableSpec, search);
  const runsView = parseTableState(jobRunsTableSpec, search);
  const errors = [...queueView.errors.map((e) => `queue ${e}`), ...runsView.errors];
  const api = await getServerCaller();
  const [queue, counts, runs] = await Promise.all([api.jobs.queue(queueView.state), api.jobs.counts(), api.jobs.runs(runsView.state)]);
  return (
    <>
      <PageHeader
        title="Jobs"
        description="Background jobs run by graphile-worker: the queue now, and every finished run kept for the retention set in Settings."
      />
      {errors.length > 0 && (
        <p className="text-destructive mb-4 text-sm" role="alert">
          Bad filter (left out): {errors.join("; ")}
        </p>
      )}
      <h2 className="mb-2 text-lg font-semibold">Queue</h2>
      <JobsTable page={queue} state={queueView.state} counts={counts} canRetry={hasAccess(user.roles, "admin")} />

      <h2 className="mt-8 mb-2 text-lg font-semibold" id="runs">
        Finished runs
      </h2>
      <JobRunsTable page={runs} state={runsView.state} />
    </>
  );
}
