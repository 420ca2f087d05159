import Link from "next/link";
import { EdgeFindingList, EdgePathList, EdgeSources } from "@/components/ports/edge-paths";
import { ChangedCell, CollectedCell, PortMapEditor, PortMapRowActions } from "@/components/ports/port-map-editor";
import { PortProposalList } from "@/components/ports/port-proposals";
import { RefreshEdgeButton } from "@/components/ports/refresh-edge-button";
import { PageHeader } from "@/components/shell/page-header";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { DataTable, type DataTableColumn } from "@/components/ui/data-table";
import { FilterInput } from "@/components/ui/filter-fields";
import { hasAccess } from "@/lib/auth/roles";
import {
  capList,
  pageSwitchPorts,
  PORT_MAP_ROW_STATUSES,
  portMapTableSpec,
  statusOfPortMapRow,
  switchPortTableSpec,
  type PortMapRowStatus,
} from "@/lib/edge/port-map-table";
import { parseTableState } from "@/lib/table/url-state";
import { requirePageAccess } from "@/server/auth/guard";
import { getServerCaller } from "@/server/trpc/server";

export const metadata = { title: "Port map" };

// Enough paths and findings to read on one page; a search narrows the paths.
const MAX_PATHS = 50;
const MAX_FINDINGS = 50;

const STATUS_BADGES: Record<PortMapRowStatus, { label: string; variant: "success" | "warning" | "outline" }> = {
  agree: { label: "agrees", variant: "success" },
  disagree: { label: "disagrees", variant: "warning" },
  unknown: { label: "not collected", variant: "outline" },
};

const PHYSICAL_COLUMNS: DataTableColumn[] = [
  { id: "switch", header: "Switch", isSortable: true },
  { id: "port", header: "Port", isSortable: true, className: "font-mono" },
  { id: "panel", header: "Patch panel" },
  { id: "farEnd", header: "Far end", className: "font-mono text-xs" },
  { id: "bond", header: "Bond", className: "font-mono" },
  { id: "vlans", header: "VLANs", className: "text-xs" },
  { id: "speed", header: "Speed" },
  { id: "notes", header: "Notes", className: "text-xs" },
  { id: "collected", header: "Collected" },
  { id: "status", header: "Status", isSortable: true },
  { id: "changed", header: "Changed" },
  { id: "actions", header: "" },
];

const SWITCH_PORT_COLUMNS: DataTableColumn[] = [
  { id: "switch", header: "Switch", isSortable: true },
  { id: "port", header: "Port", isSortable: true, className: "font-mono" },
  { id: "owner", header: "Owner" },
  { id: "description", header: "Description", className: "font-mono text-xs" },
  { id: "bindings", header: "Bindings on the switch", className: "font-mono text-xs" },
  { id: "pending", header: "" },
];

type SearchParams = Record<string, string | string[] | undefined>;

export default async function PortMapPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requirePageAccess("viewer");
  const canEdit = hasAccess(user.roles, "admin");
  const params = await searchParams;
  const api = await getServerCaller();
  // `q` is the page's one search: the paths, the proposals and both tables read it.
  const { state: physicalState, errors: physicalErrors } = parseTableState(portMapTableSpec, params);
  const { state: portsState, errors: portsErrors } = parseTableState(switchPortTableSpec, params);
  const search = physicalState.q;
  const [map, edge, physical] = await Promise.all([api.ports.map(), api.ports.edge({ q: search }), api.ports.physicalPage(physicalState)]);
  const findings = capList(edge.findings, MAX_FINDINGS);
  const switchPorts = pageSwitchPorts(map.rows, search, portsState);
  const switchNames = [...new Set(map.rows.map((r) => r.switchName))];
  const errors = [...physicalErrors, ...portsErrors];
  const entryById = new Map(physical.entries.map((e) => [e.id, e]));
  return (
    <>
      <PageHeader
        title="Port map"
        description="From a public hostname to the patch panel: NPM and the UDM's forwards, the guest and its node, the node's NICs, switch ports and panel positions; and which server sits on which switch port."
      />
      <form method="get" className="mb-4 flex flex-wrap items-end gap-3 text-sm" role="search">
        <FilterInput name="q" label="Search (hostname, IP, VMID, MAC, switch, port)" defaultValue={search} width="w-80" />
        <button type="submit" className="bg-primary text-primary-foreground h-9 rounded-md px-4">
          Search
        </button>
      </form>
      {errors.length > 0 && (
        <p className="text-destructive mb-4 text-sm" role="alert">
          Ignored in the link: {errors.join("; ")}
        </p>
      )}
      <div className="mb-6 grid gap-4">
        <Card>
          <CardHeader>
            <CardTitle className="flex flex-wrap items-center gap-3">Edge paths {canEdit && <RefreshEdgeButton />}</CardTitle>
            <EdgeSources sources={edge.sources} />
          </CardHeader>
          <CardContent>
            <EdgePathList paths={edge.paths.slice(0, MAX_PATHS)} switchIds={Object.fromEntries(map.rows.map((r) => [r.switchName, r.switchId]))} />
            {edge.paths.length > MAX_PATHS && (
              <p className="text-muted-foreground mt-2 text-sm">{edge.paths.length - MAX_PATHS} more paths: search to narrow them.</p>
            )}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Findings ({findings.total})</CardTitle>
          </CardHeader>
          <CardContent>
            <EdgeFindingList findings={findings.shown} />
            {findings.total > findings.shown.length && (
              <p className="text-muted-foreground mt-2 text-sm" data-testid="edge-findings-range">
                {findings.shown.length} of {findings.total} findings shown.
              </p>
            )}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Proposed rows ({physical.proposals.total})</CardTitle>
            <p className="text-muted-foreground text-sm">
              What UniFi&apos;s LLDP, LAGs and client table and our switches&apos; LLDP report, not yet confirmed. The paths follow them marked unconfirmed; a
              confirmed row is kept in the map (and exported to NetBox), a proposal never is.
            </p>
          </CardHeader>
          <CardContent>
            <PortProposalList
              proposals={physical.proposals.shown}
              total={physical.proposals.total}
              confirmable={physical.proposals.confirmable}
              query={search}
              canEdit={canEdit}
            />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Physical port map</CardTitle>
          </CardHeader>
          <CardContent className="grid gap-4">
            <DataTable
              label="Physical port map"
              testId="physical-port-map"
              columns={PHYSICAL_COLUMNS}
              state={physicalState}
              total={physical.total}
              filters={[
                { kind: "select", param: "switch", label: "Switch", options: physical.switches },
                {
                  kind: "select",
                  param: "status",
                  label: "Collected vs typed",
                  options: PORT_MAP_ROW_STATUSES.map((s) => ({ value: s, label: STATUS_BADGES[s].label })),
                },
              ]}
              emptyText={search || physicalState.filters.switch || physicalState.filters.status ? "No port matches." : "No ports mapped yet."}
              rows={physical.rows.map((v) => {
                const r = v.entryId !== null ? entryById.get(v.entryId) : undefined;
                const status = STATUS_BADGES[statusOfPortMapRow(v)];
                const common = {
                  port: v.port,
                  collected: <CollectedCell row={v} />,
                  status: <Badge variant={status.variant}>{status.label}</Badge>,
                };
                if (!r)
                  return {
                    id: v.key,
                    cells: { ...common, switch: v.switchName, panel: <span className="text-muted-foreground text-xs">not in the port map yet</span> },
                  };
                return {
                  id: v.key,
                  cells: {
                    ...common,
                    switch: (
                      <>
                        {r.switchName} <span className="text-muted-foreground text-xs">{r.switchKind}</span>
                      </>
                    ),
                    port: r.port,
                    panel: r.panel ? `${r.panel} / ${r.panelPosition}` : "",
                    farEnd: `${[r.farHost, r.farNic].filter(Boolean).join(" ")}${r.farMac ? ` (${r.farMac})` : ""}`,
                    bond: r.bond ?? "",
                    vlans: [r.vlanMode, r.nativeVlan ? `native ${r.nativeVlan}` : "", r.taggedVlans.length ? `tagged ${r.taggedVlans.join(",")}` : ""]
                      .filter(Boolean)
                      .join(" "),
                    speed: r.speedMbps ? `${r.speedMbps} Mbit/s` : "",
                    notes: r.notes ?? "",
                    changed: <ChangedCell row={r} />,
                    actions: canEdit ? <PortMapRowActions row={r} /> : null,
                  },
                };
              })}
            />
            <PortMapEditor canEdit={canEdit} />
          </CardContent>
        </Card>
      </div>
      <h2 className="mb-2 text-lg font-medium">Switch ports and their bindings</h2>
      <DataTable
        label="Switch ports and their bindings"
        testId="port-map"
        paramPrefix={switchPortTableSpec.paramPrefix}
        columns={SWITCH_PORT_COLUMNS}
        state={portsState}
        total={switchPorts.total}
        filters={[{ kind: "select", param: "switch", label: "Switch", options: switchNames }]}
        emptyText={search || portsState.filters.switch ? "No port matches." : "No ports yet."}
        rows={switchPorts.rows.map((r) => ({
          id: `${r.switchId}:${r.interface}`,
          cells: {
            switch: (
              <Link className="underline" href={`/it/switches/${r.switchId}`}>
                {r.switchName}
              </Link>
            ),
            port: r.interface,
            owner:
              r.owner.kind === "manual" ? (
                "set by hand"
              ) : r.owner.kind === "unmanaged" ? (
                <span className="text-muted-foreground">not managed here</span>
              ) : (
                <Link className="underline" href={`/it/proxmox?server=${r.owner.serverId}`}>
                  server {r.owner.serverId}
                  {r.owner.kind === "vm-node" ? ` · node ${r.owner.proxmoxNode}` : ""}
                </Link>
              ),
            description: r.description ?? "",
            bindings:
              r.onSwitch === null ? (
                <span className="text-muted-foreground">no backup yet</span>
              ) : (
                r.onSwitch.map((b) => `${b.ip} ${b.mac}`).join(", ") || "none"
              ),
            pending: r.isDirty ? <Badge variant="warning">push pending</Badge> : null,
          },
        }))}
      />
    </>
  );
}
