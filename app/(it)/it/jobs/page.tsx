import Link from "next/link";
import { JobRunsTable } from "@/components/jobs/job-runs-table";
import { JobsTable } from "@/components/jobs/jobs-table";
import { PageHeader } from "@/components/shell/page-header";
import { Button } from "@/components/ui/button";
import { FilterSelect } from "@/components/ui/filter-fields";
import { cn } from "@/lib/utils";
import { hasAccess } from "@/lib/auth/roles";
import { taskPayloads, type TaskName } from "@/lib/jobs/payloads";
import type { JobRunOutcome } from "@/lib/jobs/runs";
import { requirePageAccess } from "@/server/auth/guard";
import type { JobState } from "@/server/services/platform/jobs";
import { getServerCaller } from "@/server/trpc/server";

export const metadata = { title: "Jobs" };

const STATES: JobState[] = ["queued", "running", "retrying", "failed"];
const TASKS = Object.keys(taskPayloads).sort() as TaskName[];
const OUTCOMES: JobRunOutcome[] = ["succeeded", "retried", "failed"];
const PAGE_SIZE = 50;
const isDay = (v: string | undefined) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : undefined);

type Search = { state?: string; task?: string; outcome?: string; from?: string; to?: string; page?: string };

export default async function JobsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requirePageAccess("viewer");
  const sp = await searchParams;
  const state = STATES.find((s) => s === sp.state);
  const filters = {
    task: TASKS.find((t) => t === sp.task),
    outcome: OUTCOMES.find((o) => o === sp.outcome),
    from: isDay(sp.from),
    to: isDay(sp.to),
  };
  const page = Math.max(1, Math.min(100_000, Number.parseInt(sp.page ?? "1", 10) || 1));
  const api = await getServerCaller();
  const [jobs, counts, runs] = await Promise.all([
    api.jobs.list({ state, limit: 200 }),
    api.jobs.counts(),
    api.jobs.runs({ ...filters, page, pageSize: PAGE_SIZE }),
  ]);
  // Links keep every other parameter, so a filtered view is one URL to share.
  const href = (patch: Partial<Record<keyof Search, string | undefined>>) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries({ state, ...filters, page: String(page), ...patch })) if (v && !(k === "page" && v === "1")) q.set(k, v);
    const s = q.toString();
    return s ? `/it/jobs?${s}` : "/it/jobs";
  };
  const pages = Math.max(1, Math.ceil(runs.total / PAGE_SIZE));
  return (
    <>
      <PageHeader
        title="Jobs"
        description="Background jobs run by graphile-worker: the queue now, and every finished run kept for the retention set in Settings."
      />
      <h2 className="mb-2 text-lg font-semibold">Queue</h2>
      <div className="mb-4 flex flex-wrap gap-2 text-sm">
        {[undefined, ...STATES].map((s) => (
          <Link key={s ?? "all"} href={href({ state: s })} className={cn("rounded-md border px-3 py-1", s === state && "bg-accent font-medium")}>
            {s ?? "all"} {s ? `(${counts[s]})` : ""}
          </Link>
        ))}
      </div>
      <JobsTable jobs={jobs} canRetry={hasAccess(user.roles, "admin")} />

      <h2 className="mt-8 mb-2 text-lg font-semibold" id="runs">
        Finished runs
      </h2>
      <form method="get" action="/it/jobs#runs" className="mb-4 flex flex-wrap items-end gap-3 text-sm" aria-label="Filter finished runs">
        {state && <input type="hidden" name="state" value={state} />}
        <FilterSelect name="task" label="Task" value={filters.task} options={TASKS} anyLabel="any task" />
        <FilterSelect name="outcome" label="Outcome" value={filters.outcome} options={OUTCOMES} anyLabel="any outcome" />
        <label className="grid gap-1">
          From (UTC day)
          <input type="date" name="from" defaultValue={filters.from} className="border-input h-9 rounded-md border bg-transparent px-2" />
        </label>
        <label className="grid gap-1">
          To (UTC day)
          <input type="date" name="to" defaultValue={filters.to} className="border-input h-9 rounded-md border bg-transparent px-2" />
        </label>
        <Button type="submit">Filter</Button>
      </form>
      <JobRunsTable runs={runs.rows} />
      <nav className="mt-3 flex items-center gap-3 text-sm" aria-label="Pages of finished runs">
        <span data-testid="job-runs-total">
          {runs.total} run(s) · page {page} of {pages}
        </span>
        {page > 1 && <Link href={href({ page: String(page - 1) })}>Newer</Link>}
        {page < pages && <Link href={href({ page: String(page + 1) })}>Older</Link>}
      </nav>
    </>
  );
}
