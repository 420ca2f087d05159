import type { Task } from "graphile-worker";
import { taskPayloads } from "@/lib/jobs/payloads";
import { runLedgerCheck } from "@/server/services/billing/ledger";
import type { TaskDeps } from "../task-deps";

/** Nightly: flags every invoice whose lines do not add up to its total or whose payments do not match (issue 25). */
export function createCheckBillingLedgerTask({ db }: TaskDeps): Task {
  return async (payload, helpers) => {
    taskPayloads["check-billing-ledger"].parse(payload);
    const row = await runLedgerCheck(db);
    const flags = row.flags as unknown[];
    if (flags.length) helpers.logger.warn(`billing ledger: ${flags.length} invoice(s) do not add up (check ${row.id})`);
  };
}
