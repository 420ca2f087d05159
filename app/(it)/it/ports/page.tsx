import Link from "next/link";
import { PageHeader } from "@/components/shell/page-header";
import { Badge } from "@/components/ui/badge";
import { FilterInput } from "@/components/ui/filter-fields";
import { Table, TableBody, TableCell, TableEmpty, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requirePageAccess } from "@/server/auth/guard";
import { getServerCaller } from "@/server/trpc/server";

export const metadata = { title: "Port map" };

export default async function PortMapPage({ searchParams }: { searchParams: Promise<{ q?: string }> }) {
  await requirePageAccess("viewer");
  const { q } = await searchParams;
  const map = await (await getServerCaller()).ports.map();
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
        description="Which server sits on which switch port: who owns the port's bindings, and what the switch held at its latest backup."
      />
      <form method="get" className="mb-4 flex items-end gap-3 text-sm">
        <FilterInput name="q" label="Search (switch, port, server, IP, MAC)" defaultValue={q} width="w-80" />
        <button type="submit" className="bg-primary text-primary-foreground h-9 rounded-md px-4">
          Search
        </button>
      </form>
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
