import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";

export interface SwitchAlerts {
  hostKeyMismatch: number;
  awaitingApproval: number;
  manualChanges: number;
  failedLastPush: number;
  /** Switches whose managed ports drifted (as findRepairablePorts says); drift on ports we do not manage is informational. */
  drifted: number;
  /** Switches whose last push left out a binding for a VLAN the switch does not define (retried after a backup shows it). */
  undefinedVlanSkips: number;
  /** Switches whose last push skipped an IP two VMs (or NICs) claim: someone has a duplicate address. */
  claimedTwice: number;
}

/** What needs an admin's eyes across all switches, for the dashboard. */
export async function countSwitchAlerts(db: DbOrTx): Promise<SwitchAlerts> {
  const [row] = await db.execute<Record<keyof SwitchAlerts, number>>(sql`
    select
      (select count(*)::int from switches where host_key_state = 'mismatch') as "hostKeyMismatch",
      (select count(*)::int from switches where host_key_state = 'unverified') as "awaitingApproval",
      (select count(*)::int from switch_backups b where b.is_manual_change and b.taken_at > now() - interval '7 days') as "manualChanges",
      (select count(*)::int from (
        select distinct on (switch_id) status from switch_pushes order by switch_id, started_at desc) p where p.status = 'failed') as "failedLastPush",
      (select count(*)::int from switch_drift_reports r where r.error is null and exists (
        select 1 from jsonb_array_elements(r.ports) p
        where (p->>'isManaged')::boolean and p->>'unknownReason' is null
          and (jsonb_array_length(p->'missing') > 0 or jsonb_array_length(p->'extra') > 0))) as "drifted",
      (select count(*)::int from (select distinct on (switch_id) skipped from switch_pushes where status <> 'running' order by switch_id, started_at desc) p
        where exists (select 1 from jsonb_array_elements(coalesce(p.skipped, '[]'::jsonb)) s where s->>'reason' like 'VLAN % is not defined on the switch%')) as "undefinedVlanSkips",
      (select count(*)::int from (select distinct on (switch_id) skipped from switch_pushes where status <> 'running' order by switch_id, started_at desc) p
        where exists (select 1 from jsonb_array_elements(coalesce(p.skipped, '[]'::jsonb)) s where s->>'reason' like 'IP % is claimed by %')) as "claimedTwice"`);
  return row!;
}
