import { Time } from "@/components/ui/time";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { DataTable, type DataTableColumn, type DataTableFilter } from "@/components/ui/data-table";
import { HOST_KEY_STATES, PUSH_STATUSES } from "@/lib/switches/tables";
import type { TableState } from "@/lib/table/url-state";
import type { ListPage } from "@/server/db/list-query";
import type { SwitchListRow } from "@/server/services/switches/queries";

const KEY_VARIANT = { approved: "success", unverified: "warning", mismatch: "destructive", unknown: "secondary" } as const;

const COLUMNS: DataTableColumn[] = [
  { id: "name", header: "Name", isSortable: true },
  { id: "address", header: "Address", isSortable: true },
  { id: "dialect", header: "Dialect", isSortable: true },
  { id: "hostKey", header: "Host key", isSortable: true },
  { id: "lastBackup", header: "Last backup", isSortable: true },
  { id: "lastPush", header: "Last push", isSortable: true },
  { id: "drift", header: "Drift", isSortable: true },
  { id: "dirty", header: "Dirty ports", isSortable: true },
];

const FILTERS: DataTableFilter[] = [
  { kind: "select", param: "hostKey", label: "Host key", options: HOST_KEY_STATES },
  { kind: "select", param: "automation", label: "Automation", options: ["on", "off"] },
  { kind: "select", param: "lastPush", label: "Last push", options: PUSH_STATUSES },
  { kind: "select", param: "drift", label: "Drift", options: ["in-sync", "differs", "error", "unchecked"] },
];

export function SwitchesTable({ page, state }: { page: ListPage<SwitchListRow>; state: Pick<TableState, "sort" | "dir" | "page" | "pageSize"> }) {
  return (
    <DataTable
      label="Switches"
      testId="switches-table"
      columns={COLUMNS}
      filters={FILTERS}
      search={{ label: "Search", placeholder: "name or address" }}
      state={state}
      total={page.total}
      isTotalCapped={page.isTotalCapped}
      emptyText="No switches match."
      rows={page.rows.map((s) => ({
        id: s.id,
        cells: {
          name: (
            <>
              <Link className="font-medium underline-offset-4 hover:underline" href={`/it/switches/${s.id}`}>
                {s.name}
              </Link>
              {!s.isAutomationEnabled && (
                <Badge variant="warning" className="ml-2" title="Nothing is pushed to this switch; backups and drift still run">
                  automation off
                </Badge>
              )}
            </>
          ),
          address: (
            <span className="font-mono text-xs">
              {s.host}:{s.port}
            </span>
          ),
          dialect: s.dialect ?? "not detected yet",
          hostKey: <Badge variant={KEY_VARIANT[s.hostKeyState]}>{s.hostKeyState}</Badge>,
          lastBackup: <Time value={s.lastBackupAt} fallback="never" />,
          lastPush: s.lastPush ? (
            <span title={s.lastPush.errorMessage ?? undefined}>
              <Badge variant={s.lastPush.status === "failed" ? "destructive" : "secondary"}>{s.lastPush.status}</Badge>{" "}
              {s.lastPush.errorKind && <span className="text-destructive text-xs">{s.lastPush.errorKind}</span>}
            </span>
          ) : (
            "none"
          ),
          drift: !s.drift ? (
            "not checked"
          ) : s.drift.error ? (
            <span className="text-destructive text-xs">{s.drift.error}</span>
          ) : s.drift.driftPorts ? (
            <Badge variant="warning">{s.drift.driftPorts} ports differ</Badge>
          ) : (
            "in sync"
          ),
          dirty: s.dirtyPorts,
        },
      }))}
    />
  );
}
