import type { Task } from "graphile-worker";
import { taskPayloads } from "@/lib/jobs/payloads";
import { collectEdgeSnapshot, readUnifi } from "@/server/services/edge/collector";
import { resolveEdgeClients } from "@/server/services/edge/sources";
import type { TaskDeps } from "../task-deps";

/** Reads the UDM's switches, clients, networks and port forwards into a snapshot. A failure is recorded there, not retried. */
export function createCollectUnifiTask(deps: TaskDeps): Task {
  return async (payload, helpers) => {
    const { trigger } = taskPayloads["collect-unifi"].parse(payload);
    const { unifi } = await resolveEdgeClients(deps.db, deps.secretsKey);
    const snapshot = await collectEdgeSnapshot(deps.db, {
      source: "unifi",
      trigger,
      read: unifi && (() => readUnifi(unifi)),
      notConfigured: "UniFi is not configured (Settings › Connections)",
    });
    if (snapshot.status === "failed") helpers.logger.warn(`UniFi snapshot ${snapshot.id} failed: ${snapshot.error}`);
  };
}
