import Link from "next/link";
import { JobsTable } from "@/components/jobs/jobs-table";
import { PageHeader } from "@/components/shell/page-header";
import { cn } from "@/lib/utils";
import { hasAccess } from "@/lib/auth/roles";
import { requirePageAccess } from "@/server/auth/guard";
import type { JobState } from "@/server/services/platform/jobs";
import { getServerCaller } from "@/server/trpc/server";

export const metadata = { title: "Jobs" };

const STATES: JobState[] = ["queued", "running", "retrying", "failed"];

export default async function JobsPage({ searchParams }: { searchParams: Promise<{ state?: string }> }) {
  const user = await requirePageAccess("viewer");
  const { state: raw } = await searchParams;
  const state = STATES.find((s) => s === raw);
  const api = await getServerCaller();
  const [jobs, counts] = await Promise.all([api.jobs.list({ state, limit: 200 }), api.jobs.counts()]);
  return (
    <>
      <PageHeader title="Jobs" description="Background jobs run by graphile-worker. Failed jobs keep their last error." />
      <div className="mb-4 flex flex-wrap gap-2 text-sm">
        {[undefined, ...STATES].map((s) => (
          <Link
            key={s ?? "all"}
            href={s ? `/it/jobs?state=${s}` : "/it/jobs"}
            className={cn("rounded-md border px-3 py-1", s === state && "bg-accent font-medium")}
          >
            {s ?? "all"} {s ? `(${counts[s]})` : ""}
          </Link>
        ))}
      </div>
      <JobsTable jobs={jobs} canRetry={hasAccess(user.roles, "admin")} />
    </>
  );
}
