import { FreshnessBadge } from "@/components/ports/edge-paths";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableEmpty, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { Freshness } from "@/lib/edge/freshness";
import type { NeighborIdentity } from "@/lib/edge/path";
import type { LacpBundle } from "@/lib/junos/lacp-interfaces";
import type { LldpNeighbor } from "@/lib/junos/lldp-neighbors";

export interface SwitchLinks {
  neighbors: Array<LldpNeighbor & { identity: NeighborIdentity }>;
  bundles: LacpBundle[];
  problems: string[];
  freshness: Freshness;
}

const IDENTITY_LABEL: Record<NeighborIdentity["kind"], string> = {
  node: "node",
  switch: "switch",
  "port-map": "port map:",
  "panel-server": "panel:",
  unknown: "unknown",
};

/** What the switch's newest backup heard over LLDP and read of its ae bundles, and what could not be read. */
export function LinksPanel({ links }: { links: SwitchLinks | null }) {
  if (!links) return <p className="text-muted-foreground text-sm">No backup has read this switch&apos;s LLDP neighbours and ae bundles yet.</p>;
  const unknown = links.neighbors.filter((n) => n.identity.kind === "unknown").length;
  return (
    <div className="grid gap-3" data-testid="switch-links">
      <p className="flex flex-wrap items-center gap-3 text-sm">
        <FreshnessBadge freshness={links.freshness} />
        {unknown > 0 && <Badge variant="warning">{unknown} unknown neighbour(s): type the port in the port map to say what is there</Badge>}
      </p>
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>Port</TableHead>
            <TableHead>Bundle</TableHead>
            <TableHead>Chassis</TableHead>
            <TableHead>Port info</TableHead>
            <TableHead>System name</TableHead>
            <TableHead>Is</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {links.neighbors.map((n) => (
            <TableRow key={`${n.localPort}|${n.chassisId}|${n.portInfo}`}>
              <TableCell className="font-mono text-xs">{n.localPort}</TableCell>
              <TableCell className="font-mono text-xs">{n.parentBundle ?? "—"}</TableCell>
              <TableCell className="font-mono text-xs">{n.chassisId}</TableCell>
              <TableCell className="font-mono text-xs">{n.portInfo}</TableCell>
              <TableCell>{n.systemName ?? "—"}</TableCell>
              <TableCell>
                {n.identity.kind === "unknown" ? <Badge variant="warning">unknown</Badge> : `${IDENTITY_LABEL[n.identity.kind]} ${n.identity.name}`}
              </TableCell>
            </TableRow>
          ))}
          {links.neighbors.length === 0 && <TableEmpty colSpan={6}>No LLDP neighbours heard.</TableEmpty>}
        </TableBody>
      </Table>
      {links.bundles.length > 0 && (
        <p className="text-sm">
          {links.bundles.map((b) => (
            <span key={b.bundle} className="mr-4">
              <span className="font-mono">{b.bundle}</span>: {b.members.map((m) => m.port).join(", ") || "no members"}
            </span>
          ))}
        </p>
      )}
      {links.problems.length > 0 && (
        <div className="text-sm" data-testid="switch-links-problems">
          <p className="font-medium">Lines the switch printed that could not be read ({links.problems.length}; left out, never guessed at):</p>
          <ul className="text-muted-foreground list-disc pl-5 font-mono text-xs">
            {links.problems.slice(0, 20).map((p, i) => (
              <li key={i}>{p}</li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
