import type { Task } from "graphile-worker";
import { taskPayloads } from "@/lib/jobs/payloads";
import { collectEdgeSnapshot, readNpm } from "@/server/services/edge/collector";
import { resolveEdgeClients } from "@/server/services/edge/sources";
import type { TaskDeps } from "../task-deps";

/** Reads NPM's proxy hosts (with certificates) and streams into a snapshot. A failure is recorded there, not retried. */
export function createCollectNpmTask(deps: TaskDeps): Task {
  return async (payload, helpers) => {
    const { trigger } = taskPayloads["collect-npm"].parse(payload);
    const { npm } = await resolveEdgeClients(deps.db, deps.secretsKey);
    const snapshot = await collectEdgeSnapshot(deps.db, {
      source: "npm",
      trigger,
      read: npm && (() => readNpm(npm)),
      notConfigured: "Nginx Proxy Manager is not configured (Settings › Connections)",
    });
    if (snapshot.status === "failed") helpers.logger.warn(`NPM snapshot ${snapshot.id} failed: ${snapshot.error}`);
  };
}
