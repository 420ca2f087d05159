"use client";
import { Time } from "@/components/ui/time";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import type { FormEvent } from "react";
import { FormField } from "@/components/switches/form-field";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { ChangeLine, ConfirmDialog } from "@/components/ui/confirm-dialog";
import { DataTable, type DataTableColumn, type DataTableFilter } from "@/components/ui/data-table";
import type { VmacEventRow, VmacRow } from "@/drizzle/schema";
import { VMAC_EVENT_KINDS, vmacEventTableSpec } from "@/lib/port-security/vmac-table";
import type { TableState } from "@/lib/table/url-state";
import type { ListPage } from "@/server/db/list-query";
import { ErrorText } from "@/components/ui/error-text";

type View = Pick<TableState, "sort" | "dir" | "page" | "pageSize">;

const VMAC_FILTERS: DataTableFilter[] = [
  {
    kind: "select",
    param: "state",
    label: "State",
    options: [
      { value: "released", label: "released" },
      { value: "all", label: "active and released" },
    ],
  },
  { kind: "text", param: "server", label: "Server id" },
  { kind: "dateRange", label: "Created", from: "from", to: "to" },
];

const EVENT_COLUMNS: DataTableColumn[] = [
  { id: "at", header: "When", isSortable: true },
  { id: "kind", header: "Event", isSortable: true },
  { id: "ip", header: "IP", isSortable: true },
  { id: "mac", header: "VMAC" },
  { id: "server", header: "Server", isSortable: true },
  { id: "actor", header: "By", isSortable: true },
];

const EVENT_FILTERS: DataTableFilter[] = [
  { kind: "select", param: "kind", label: "Event", options: VMAC_EVENT_KINDS },
  { kind: "text", param: "server", label: "Server id" },
  { kind: "text", param: "actor", label: "By" },
  { kind: "dateRange", label: "When", from: "from", to: "to" },
];

export function VmacsPanel({
  vmacs,
  vmacState,
  events,
  eventState,
  canEdit,
}: {
  vmacs: ListPage<VmacRow>;
  vmacState: View;
  events: ListPage<VmacEventRow>;
  eventState: View;
  canEdit: boolean;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const create = useMutation(trpc.vmacs.create.mutationOptions({ onSuccess: () => router.refresh() }));
  const release = useMutation(trpc.vmacs.release.mutationOptions({ onSuccess: () => router.refresh() }));

  function onCreate(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const d = new FormData(e.currentTarget);
    create.mutate({ ip: String(d.get("ip") ?? "").trim(), serverId: Number(d.get("serverId")) });
  }

  return (
    <div className="grid gap-6">
      {canEdit && (
        <form onSubmit={onCreate} className="flex items-end gap-3">
          <FormField name="ip" label="IP" placeholder="10.0.48.6" required />
          <FormField name="serverId" label="Tenantos server id" type="number" required />
          <Button type="submit" disabled={create.isPending}>
            Create VMAC
          </Button>
          <ErrorText error={create.error} className="text-sm" />
          {release.data?.status === "pending" && (
            <span className="text-sm" role="status">
              Release waits for a second admin&apos;s approval (request #{release.data.approvalId},{" "}
              <a className="underline" href="/it/approvals">
                Approvals
              </a>
              ).
            </span>
          )}
          {create.data && (
            <span className="text-sm" role="status">
              {create.data.vmac.ip} → {create.data.vmac.mac}
              {create.data.isNew ? "" : " (already active)"}
            </span>
          )}
        </form>
      )}
      <DataTable
        label="Virtual MACs"
        testId="vmacs-table"
        columns={[
          { id: "ip", header: "IP", isSortable: true },
          { id: "mac", header: "VMAC", isSortable: true },
          { id: "server", header: "Server", isSortable: true },
          { id: "created", header: "Created", isSortable: true },
          { id: "released", header: "Released", isSortable: true },
          ...(canEdit ? [{ id: "release", header: "" }] : []),
        ]}
        filters={VMAC_FILTERS}
        search={{ label: "Search IP, MAC or server id" }}
        state={vmacState}
        total={vmacs.total}
        isTotalCapped={vmacs.isTotalCapped}
        emptyText="No VMACs match (active ones only unless State says otherwise)."
        rows={vmacs.rows.map((v) => ({
          id: v.ip,
          cells: {
            ip: <span className="font-mono text-xs">{v.ip}</span>,
            mac: <span className="font-mono text-xs">{v.mac}</span>,
            server: v.serverId,
            created: <Time value={v.createdAt} />,
            released: <Time value={v.releasedAt} fallback="active" />,
            release: v.releasedAt ? null : (
              <ConfirmDialog
                trigger={
                  <Button size="sm" variant="outline" aria-label={`Release ${v.ip}`}>
                    Release
                  </Button>
                }
                title={`Release the VMAC of ${v.ip}?`}
                description="Traffic from this MAC stops being accepted once the switches drop it. When the rules ask for it, a second admin approves first."
                confirmLabel={`Release ${v.ip}`}
                isDestructive
                onConfirm={() => release.mutateAsync({ ip: v.ip })}
              >
                <ChangeLine label="VMAC" before={v.mac} after="released" />
                <ChangeLine label="IP" before={v.ip} />
                <ChangeLine label="Tenantos server" before={String(v.serverId)} />
              </ConfirmDialog>
            ),
          },
        }))}
      />
      <div>
        <h2 className="mb-2 text-lg font-semibold">Events</h2>
        <DataTable
          label="VMAC events"
          testId="vmac-events"
          paramPrefix={vmacEventTableSpec.paramPrefix}
          columns={EVENT_COLUMNS}
          filters={EVENT_FILTERS}
          search={{ label: "Search", placeholder: "IP, MAC, who" }}
          state={eventState}
          total={events.total}
          isTotalCapped={events.isTotalCapped}
          pageSizes={vmacEventTableSpec.pageSizes}
          emptyText="No events match."
          rows={events.rows.map((e) => ({
            id: e.id,
            cells: {
              at: <Time value={e.at} />,
              kind: e.kind,
              ip: <span className="font-mono text-xs">{e.ip}</span>,
              mac: <span className="font-mono text-xs">{e.mac}</span>,
              server: e.serverId,
              actor: e.actor,
            },
          }))}
        />
      </div>
    </div>
  );
}
