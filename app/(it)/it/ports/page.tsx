import Link from "next/link";
import { EdgeFindingList, EdgePathList, EdgeSources } from "@/components/ports/edge-paths";
import { PortMapEditor } from "@/components/ports/port-map-editor";
import { PortProposalList } from "@/components/ports/port-proposals";
import { RefreshEdgeButton } from "@/components/ports/refresh-edge-button";
import { PageHeader } from "@/components/shell/page-header";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { FilterInput } from "@/components/ui/filter-fields";
import { Table, TableBody, TableCell, TableEmpty, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { hasAccess } from "@/lib/auth/roles";
import { requirePageAccess } from "@/server/auth/guard";
import { getServerCaller } from "@/server/trpc/server";

export const metadata = { title: "Port map" };

// Enough paths to read on one page; a search narrows them.
const MAX_PATHS = 50;

export default async function PortMapPage({ searchParams }: { searchParams: Promise<{ q?: string }> }) {
  const user = await requirePageAccess("viewer");
  const canEdit = hasAccess(user.roles, "admin");
  const { q } = await searchParams;
  const api = await getServerCaller();
  const search = q?.slice(0, 200) ?? "";
  const [map, edge, physical] = await Promise.all([api.ports.map(), api.ports.edge({ q: search }), api.ports.physical({ q: search })]);
  const needle = q?.trim().toLowerCase();
  const rows = needle
    ? map.rows.filter((r) =>
        [
          r.switchName,
          r.interface,
          r.description ?? "",
          r.owner.kind === "dedicated" || r.owner.kind === "vm-node" ? `server ${r.owner.serverId} ${r.owner.proxmoxNode ?? ""}` : "",
          ...(r.onSwitch ?? []).flatMap((b) => [b.ip, b.mac]),
        ]
          .join(" ")
          .toLowerCase()
          .includes(needle),
      )
    : map.rows;
  return (
    <>
      <PageHeader
        title="Port map"
        description="From a public hostname to the patch panel: NPM and the UDM's forwards, the guest and its node, the node's NICs, switch ports and panel positions; and which server sits on which switch port."
      />
      <form method="get" className="mb-4 flex flex-wrap items-end gap-3 text-sm" role="search">
        <FilterInput name="q" label="Search (hostname, IP, VMID, MAC, switch, port)" defaultValue={q} width="w-80" />
        <button type="submit" className="bg-primary text-primary-foreground h-9 rounded-md px-4">
          Search
        </button>
      </form>
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
            <CardTitle>Findings ({edge.findings.length})</CardTitle>
          </CardHeader>
          <CardContent>
            <EdgeFindingList findings={edge.findings} />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Proposed rows ({physical.proposals.length})</CardTitle>
            <p className="text-muted-foreground text-sm">
              What UniFi&apos;s LLDP, LAGs and client table and our switches&apos; LLDP report, not yet confirmed. The paths follow them marked unconfirmed; a
              confirmed row is kept in the map (and exported to NetBox), a proposal never is.
            </p>
          </CardHeader>
          <CardContent>
            <PortProposalList proposals={physical.proposals} canEdit={canEdit} />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Physical port map</CardTitle>
          </CardHeader>
          <CardContent>
            <PortMapEditor rows={physical.entries} view={physical.rows} canEdit={canEdit} />
          </CardContent>
        </Card>
      </div>
      <h2 className="mb-2 text-lg font-medium">Switch ports and their bindings</h2>
      <Table data-testid="port-map">
        <TableHeader>
          <TableRow>
            <TableHead>Switch</TableHead>
            <TableHead>Port</TableHead>
            <TableHead>Owner</TableHead>
            <TableHead>Description</TableHead>
            <TableHead>Bindings on the switch</TableHead>
            <TableHead />
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((r) => (
            <TableRow key={`${r.switchId}:${r.interface}`}>
              <TableCell>
                <Link className="underline" href={`/it/switches/${r.switchId}`}>
                  {r.switchName}
                </Link>
              </TableCell>
              <TableCell className="font-mono">{r.interface}</TableCell>
              <TableCell>
                {r.owner.kind === "manual" ? (
                  "set by hand"
                ) : r.owner.kind === "unmanaged" ? (
                  <span className="text-muted-foreground">not managed here</span>
                ) : (
                  <Link className="underline" href={`/it/proxmox?server=${r.owner.serverId}`}>
                    server {r.owner.serverId}
                    {r.owner.kind === "vm-node" ? ` · node ${r.owner.proxmoxNode}` : ""}
                  </Link>
                )}
              </TableCell>
              <TableCell className="font-mono text-xs">{r.description ?? ""}</TableCell>
              <TableCell className="font-mono text-xs">
                {r.onSwitch === null ? (
                  <span className="text-muted-foreground">no backup yet</span>
                ) : (
                  r.onSwitch.map((b) => `${b.ip} ${b.mac}`).join(", ") || "none"
                )}
              </TableCell>
              <TableCell>{r.isDirty && <Badge variant="warning">push pending</Badge>}</TableCell>
            </TableRow>
          ))}
          {rows.length === 0 && <TableEmpty colSpan={6}>No ports yet.</TableEmpty>}
        </TableBody>
      </Table>
    </>
  );
}
