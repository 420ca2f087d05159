import type { Task } from "graphile-worker";
import { taskPayloads } from "@/lib/jobs/payloads";
import { getEnv } from "@/server/env";
import { collectEdgeSnapshot, readNodeNetworks } from "@/server/services/edge/collector";
import { resolveProxmoxClient } from "@/server/services/inventory/sources";
import type { TaskDeps } from "../task-deps";

/** Reads every Proxmox node's NICs, bonds and bridges (`/nodes/{node}/network`), to trace uplinks to switch ports. */
export function createCollectNodeNetworksTask(deps: TaskDeps): Task {
  return async (payload, helpers) => {
    const { trigger } = taskPayloads["collect-node-networks"].parse(payload);
    const client = deps.resolveInventoryProxmox ? await deps.resolveInventoryProxmox() : await resolveProxmoxClient(deps.db, getEnv(), deps.secretsKey);
    const snapshot = await collectEdgeSnapshot(deps.db, {
      source: "proxmox-network",
      trigger,
      read: client && (() => readNodeNetworks(client)),
      notConfigured: "Proxmox is not configured (PROXMOX_URL, PROXMOX_TOKEN_ID, PROXMOX_TOKEN_SECRET)",
    });
    if (snapshot.status === "failed") helpers.logger.warn(`node network snapshot ${snapshot.id} failed: ${snapshot.error}`);
  };
}
