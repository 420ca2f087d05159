import { and, count, desc, eq, gte, lt, type SQL } from "drizzle-orm";
import { jobRuns, JOB_RUN_OUTCOMES } from "@/drizzle/schema";
import { describeRunEvidence, type JobRunOutcome } from "@/lib/jobs/runs";
import type { DbOrTx } from "@/server/db/client";

export interface JobRunFilters {
  task?: string;
  outcome?: JobRunOutcome;
  /** UTC days, inclusive (YYYY-MM-DD), on the run's finish. */
  from?: string;
  to?: string;
  page: number;
  pageSize: number;
}

export { JOB_RUN_OUTCOMES };

/** Finished job runs, newest first, filtered, one page of them and the total the filters match. */
export async function listJobRuns(db: DbOrTx, f: JobRunFilters) {
  const where: SQL[] = [];
  if (f.task) where.push(eq(jobRuns.task, f.task));
  if (f.outcome) where.push(eq(jobRuns.outcome, f.outcome));
  if (f.from) where.push(gte(jobRuns.finishedAt, new Date(`${f.from}T00:00:00Z`)));
  if (f.to) where.push(lt(jobRuns.finishedAt, new Date(new Date(`${f.to}T00:00:00Z`).getTime() + 86_400_000)));
  const filter = where.length ? and(...where) : undefined;
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(jobRuns)
      .where(filter)
      .orderBy(desc(jobRuns.finishedAt), desc(jobRuns.id))
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize),
    db.select({ n: count() }).from(jobRuns).where(filter),
  ]);
  return {
    rows: rows.map((r) => ({ ...r, evidence: r.evidenceKind && r.evidenceId ? describeRunEvidence({ kind: r.evidenceKind, id: r.evidenceId }) : null })),
    total: total?.n ?? 0,
    page: f.page,
    pageSize: f.pageSize,
  };
}

export type JobRunView = Awaited<ReturnType<typeof listJobRuns>>["rows"][number];
