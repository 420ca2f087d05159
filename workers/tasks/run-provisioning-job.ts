import type { Task } from "graphile-worker";
import { taskPayloads } from "@/lib/jobs/payloads";
import { getEnv } from "@/server/env";
import { resolveProxmoxClient } from "@/server/services/inventory/sources";
import { failProvisioningJob, runProvisioningJob } from "@/server/services/provisioning/jobs";
import type { TaskDeps } from "../task-deps";

/**
 * Runs one provisioning job to its end. A crash or a lost connection throws, and graphile's retry
 * resumes the job from its row (following its UPID, never sending a call twice); the last attempt's
 * failure is recorded on the job so the console shows it.
 */
export function createRunProvisioningJobTask(deps: TaskDeps): Task {
  return async (payload, helpers) => {
    const { jobId } = taskPayloads["run-provisioning-job"].parse(payload);
    const proxmox = deps.resolveProvisioningProxmox ? await deps.resolveProvisioningProxmox() : await resolveProxmoxClient(deps.db, getEnv(), deps.secretsKey);
    if (!proxmox) {
      await failProvisioningJob(deps.db, jobId, "Proxmox is not configured (Settings → Connections)");
      return;
    }
    try {
      await runProvisioningJob(deps.db, { proxmox, signal: helpers.abortSignal, pollMs: deps.provisioningPollMs }, jobId);
    } catch (e) {
      if (helpers.job.attempts >= helpers.job.max_attempts)
        await failProvisioningJob(deps.db, jobId, `gave up after ${helpers.job.attempts} attempts: ${(e as Error).message}`);
      throw e;
    }
  };
}
