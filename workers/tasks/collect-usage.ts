import type { Task } from "graphile-worker";
import { taskPayloads } from "@/lib/jobs/payloads";
import { getEnv } from "@/server/env";
import { collectUsageDay } from "@/server/services/billing/usage";
import { resolveProxmoxClient } from "@/server/services/inventory/sources";
import { getSettings } from "@/server/services/platform/settings";
import { noteRunEvidence } from "@/server/jobs/run-context";
import { resolveOutsideSystems, type TaskDeps } from "../task-deps";

/**
 * The nightly usage metering (and a finance-requested re-run of one day). The cron run collects
 * the UTC day before its own time; a failed source is recorded on the day, not retried blindly.
 */
export function createCollectUsageTask(deps: TaskDeps): Task {
  return async (payload, helpers) => {
    const p = taskPayloads["collect-usage"].parse(payload);
    const at = p._cron ? new Date(p._cron.ts) : new Date();
    const day = p.day ?? new Date(at.getTime() - 86_400_000).toISOString().slice(0, 10);
    const proxmox = deps.resolveInventoryProxmox ? await deps.resolveInventoryProxmox() : await resolveProxmoxClient(deps.db, getEnv(), deps.secretsKey);
    const { bandwidthBillingMode } = await getSettings(deps.db);
    const tenantos = (await resolveOutsideSystems(deps))?.tenantos;
    const results = await collectUsageDay(deps.db, { id: p.requestedBy ?? "system:collect-usage" }, day, {
      proxmox,
      tenantos,
      bandwidthMode: bandwidthBillingMode,
    });
    noteRunEvidence({ kind: "usage-day", id: day });
    for (const r of results) {
      if (r.status === "failed") helpers.logger.warn(`usage ${day} ${r.source}: ${r.error}`);
      else if (r.warning) helpers.logger.warn(`usage ${day} ${r.source}: ${r.warning}`);
    }
  };
}
