"use client";
import { Time } from "@/components/ui/time";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DataTable, type DataTableColumn, type DataTableFilter } from "@/components/ui/data-table";
import { PUSH_STATUSES, pushTableSpec } from "@/lib/switches/tables";
import type { TableState } from "@/lib/table/url-state";
import type { ListPage } from "@/server/db/list-query";
import type { PushListRow } from "@/server/services/switches/queries";

export function PushDetail({ id }: { id: number }) {
  const trpc = useTRPC();
  const { data, error } = useQuery(trpc.switches.push.queryOptions({ id }));
  if (error) return <p className="text-destructive text-sm">{error.message}</p>;
  if (!data) return <p className="text-sm">Loading…</p>;
  const transcript = (data.transcript as Array<{ command: string; output: string; ms: number }> | null) ?? [];
  return (
    <div className="grid gap-2 py-2">
      {data.compare && (
        <pre tabIndex={0} className="bg-muted [contain:inline-size] overflow-x-auto rounded p-2 text-xs" data-testid="push-compare">
          {data.compare}
        </pre>
      )}
      {data.switchText && (
        <pre tabIndex={0} className="bg-muted [contain:inline-size] text-destructive overflow-x-auto rounded p-2 text-xs">
          {data.switchText}
        </pre>
      )}
      <pre tabIndex={0} className="bg-muted [contain:inline-size] max-h-96 overflow-auto rounded p-2 text-xs" data-testid="push-transcript">
        {transcript.map((t) => `> ${t.command}   (${t.ms} ms)\n${t.output ? `${t.output}\n` : ""}`).join("")}
      </pre>
    </div>
  );
}

const STATUS_VARIANT = (status: string) =>
  status === "failed" || status === "rolled-back-by-switch"
    ? "destructive"
    : status === "committed" || status === "confirmed-after-reconnect"
      ? "success"
      : "secondary";

const COLUMNS: DataTableColumn[] = [
  { id: "started", header: "Started", isSortable: true },
  { id: "change", header: "Change", isSortable: true },
  { id: "trigger", header: "Trigger", isSortable: true },
  { id: "ports", header: "Ports" },
  { id: "status", header: "Result", isSortable: true },
  { id: "transcript", header: "" },
];

const FILTERS: DataTableFilter[] = [
  { kind: "select", param: "status", label: "Result", options: PUSH_STATUSES },
  { kind: "dateRange", label: "Started", from: "from", to: "to" },
];

/** The transcript opens under its button, fetched only when asked for. */
function TranscriptToggle({ id }: { id: number }) {
  const [isOpen, setOpen] = useState(false);
  return (
    <div className="grid justify-items-end">
      <Button size="sm" variant="ghost" onClick={() => setOpen(!isOpen)}>
        {isOpen ? "Hide" : "Transcript"}
      </Button>
      {isOpen && (
        <div className="w-[min(60rem,80vw)] justify-self-end text-left">
          <PushDetail id={id} />
        </div>
      )}
    </div>
  );
}

/** A switch's pushes: its own params (`pushes.sort`, `pushes.page`…) beside the backups' on the page. */
export function PushesTable({ page, state }: { page: ListPage<PushListRow>; state: Pick<TableState, "sort" | "dir" | "page" | "pageSize"> }) {
  return (
    <DataTable
      label="Pushes"
      testId="pushes-table"
      paramPrefix={pushTableSpec.paramPrefix}
      columns={COLUMNS}
      filters={FILTERS}
      search={{ label: "Search", placeholder: "change, trigger, port, error" }}
      state={state}
      total={page.total}
      isTotalCapped={page.isTotalCapped}
      pageSizes={pushTableSpec.pageSizes}
      emptyText="No pushes match."
      rows={page.rows.map((p) => ({
        id: p.id,
        cells: {
          started: <Time value={p.startedAt} />,
          change: <span className="font-mono text-xs">{p.changeId}</span>,
          trigger: <span className="text-xs">{p.trigger}</span>,
          ports: <span className="font-mono text-xs">{p.ports.join(", ") || "—"}</span>,
          status: (
            <>
              <Badge variant={STATUS_VARIANT(p.status)}>{p.status}</Badge>{" "}
              {p.errorMessage && (
                <span className="text-destructive text-xs">
                  {p.errorKind}: {p.errorMessage}
                </span>
              )}
              {p.note && <span className="text-muted-foreground block text-xs">{p.note}</span>}
            </>
          ),
          transcript: <TranscriptToggle id={p.id} />,
        },
      }))}
    />
  );
}
