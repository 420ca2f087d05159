import { AsyncLocalStorage } from "node:async_hooks";
import type { JobRunEvidence } from "@/lib/jobs/runs";

/** The job a task runs for, seen by everything the task calls: jobs it queues name it as their origin. */
export interface JobRunContext {
  jobId: number;
  task: string;
  /** What the run produced; the last one noted is what its run row links to. */
  evidence?: JobRunEvidence;
}

const storage = new AsyncLocalStorage<JobRunContext>();

export function runInJobContext<T>(context: JobRunContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function getJobContext(): JobRunContext | undefined {
  return storage.getStore();
}

/** A task (or the service it calls) names what its run produced, for the Jobs page's evidence link. */
export function noteRunEvidence(evidence: JobRunEvidence): void {
  const context = storage.getStore();
  if (context) context.evidence = evidence;
}
