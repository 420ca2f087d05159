"use client";
import { Time } from "@/components/ui/time";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DataTable, type DataTableColumn, type DataTableFilter } from "@/components/ui/data-table";
import { BACKUP_REASONS, backupTableSpec } from "@/lib/switches/tables";
import type { TableState } from "@/lib/table/url-state";
import type { ListPage } from "@/server/db/list-query";
import type { BackupListRow } from "@/server/services/switches/queries";

const COLUMNS: DataTableColumn[] = [
  { id: "pick", header: "" },
  { id: "taken", header: "Taken", isSortable: true },
  { id: "reason", header: "Reason", isSortable: true },
  { id: "change", header: "Change", isSortable: true },
  { id: "content", header: "Content" },
  { id: "download", header: "" },
];

const FILTERS: DataTableFilter[] = [
  { kind: "select", param: "reason", label: "Reason", options: BACKUP_REASONS },
  { kind: "select", param: "manual", label: "Changed outside the controller", options: ["yes", "no"] },
  { kind: "dateRange", label: "Taken", from: "from", to: "to" },
];

/** A switch's backups: its own params (`backups.sort`, `backups.page`…) beside the pushes' on the page. */
export function BackupsPanel({
  switchId,
  page,
  state,
  canBackUp,
}: {
  switchId: number;
  page: ListPage<BackupListRow>;
  state: Pick<TableState, "sort" | "dir" | "page" | "pageSize">;
  canBackUp: boolean;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [picked, setPicked] = useState<number[]>([]);
  const [from, to] = [...picked].sort((a, b) => a - b);
  const diff = useQuery({ ...trpc.switches.backupDiff.queryOptions({ switchId, fromId: from ?? 0, toId: to ?? 0 }), enabled: picked.length === 2 });
  const backupNow = useMutation(trpc.switches.backupNow.mutationOptions({ onSuccess: () => setTimeout(() => router.refresh(), 1_500) }));
  const toggle = (id: number) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p.slice(-1), id]));

  return (
    <div data-testid="backups">
      <div className="mb-2 flex items-center gap-3 text-sm">
        {canBackUp && (
          <Button size="sm" variant="outline" disabled={backupNow.isPending} onClick={() => backupNow.mutate({ id: switchId })}>
            Back up now
          </Button>
        )}
        <span className="text-muted-foreground">Pick two backups to compare them. Secrets are masked in diffs{canBackUp ? "" : " and downloads"}.</span>
      </div>
      <DataTable
        label="Backups"
        testId="backups-table"
        paramPrefix={backupTableSpec.paramPrefix}
        columns={COLUMNS}
        filters={FILTERS}
        search={{ label: "Search", placeholder: "change or content hash" }}
        state={state}
        total={page.total}
        isTotalCapped={page.isTotalCapped}
        pageSizes={backupTableSpec.pageSizes}
        emptyText="No backups match."
        rows={page.rows.map((b) => ({
          id: b.id,
          cells: {
            // Picks live in this panel, not in the page of rows, so two backups on different pages compare.
            pick: <input type="checkbox" aria-label={`compare backup ${b.id}`} checked={picked.includes(b.id)} onChange={() => toggle(b.id)} />,
            taken: <Time value={b.takenAt} />,
            reason: (
              <>
                {b.reason} {b.isManualChange && <Badge variant="warning">changed outside the controller</Badge>}
              </>
            ),
            change: <span className="font-mono text-xs">{b.changeId ?? "—"}</span>,
            content: <span className="font-mono text-xs">{b.sha256.slice(0, 12)}</span>,
            download: (
              <a className="text-sm underline" href={`/api/switches/${switchId}/backups/${b.id}`}>
                Download
              </a>
            ),
          },
        }))}
      />
      {picked.length === 2 && (
        <pre tabIndex={0} className="bg-muted [contain:inline-size] mt-2 max-h-96 overflow-auto rounded p-2 text-xs" data-testid="backup-diff">
          {diff.error ? diff.error.message : (diff.data ?? "Loading…")}
        </pre>
      )}
    </div>
  );
}
