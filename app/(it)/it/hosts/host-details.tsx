import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableEmpty, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { NetworkCapacity, StorageAllocation } from "@/lib/inventory/capacity";

// The largest guests of a storage (the list is biggest first); at 10k guests the whole list was 2 MB of page (bench:pages).
const GUESTS_SHOWN = 50;

const GiB = 2 ** 30;
const TiB = 2 ** 40;

/** Bytes as GiB, or TiB with one decimal from 1 TiB up. */
export function formatBytes(b: number): string {
  return b >= TiB ? `${(b / TiB).toFixed(1)} TiB` : `${Math.round(b / GiB)} GiB`;
}

const pct = (x: number) => (Number.isFinite(x) ? `${Math.round(x * 100)}%` : "no known size");

/**
 * Storages with what they have given out: guests' disks plus volumes no guest config names (left
 * behind by a deleted guest). Over 100% of the size is thin-provisioning over-commit.
 */
export function StorageTable({ rows, label, testId }: { rows: StorageAllocation[]; label: string; testId: string }) {
  return (
    <Table aria-label={label} data-testid={testId}>
      <TableHeader>
        <TableRow>
          <TableHead>Storage</TableHead>
          <TableHead>Type</TableHead>
          <TableHead>Where</TableHead>
          <TableHead className="text-right">Size</TableHead>
          <TableHead className="text-right">Used</TableHead>
          <TableHead className="text-right">Given to guests</TableHead>
          <TableHead className="text-right">Free</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((s) => (
          <TableRow key={`${s.node ?? "shared"}:${s.storage}`}>
            <TableCell className="font-medium">
              {s.storage}
              {s.content && <span className="text-muted-foreground block text-xs">{s.content.join(", ")}</span>}
            </TableCell>
            <TableCell>{s.type}</TableCell>
            <TableCell>
              {s.isShared ? (
                <>
                  <Badge variant="outline">shared</Badge>
                  <span className="text-muted-foreground block text-xs">cluster-wide figures</span>
                </>
              ) : (
                "local"
              )}
            </TableCell>
            <TableCell className="text-right">
              {s.isCapacityKnown ? formatBytes(s.total) : <span className="text-muted-foreground">not listed by the node</span>}
            </TableCell>
            <TableCell className="text-right">{s.isCapacityKnown ? formatBytes(s.used) : "—"}</TableCell>
            <TableCell className="text-right">
              {s.isGuestStorage || s.disks > 0 ? (
                <>
                  {formatBytes(s.provisioned)}
                  {s.isCapacityKnown && ` (${pct(s.ratio)})`}
                  {s.isOvercommitted && (
                    <Badge variant="destructive" className="ml-1">
                      over-committed
                    </Badge>
                  )}
                  {s.disksOfUnknownSize > 0 && <span className="text-muted-foreground block text-xs">+{s.disksOfUnknownSize} disk(s) of unknown size</span>}
                  {s.unreferenced.length > 0 && (
                    <span className="text-warning-foreground block text-xs" title={s.unreferenced.map((v) => `${v.volid}: ${formatBytes(v.bytes)}`).join("\n")}>
                      incl. {formatBytes(s.unreferenced.reduce((a, v) => a + v.bytes, 0))} in {s.unreferenced.length} volume(s) no guest config names (
                      {s.unreferenced.map((v) => v.volid.split(":")[1]).join(", ")})
                    </span>
                  )}
                  {s.guests.length > 0 && (
                    <details className="text-left text-xs">
                      <summary className="text-muted-foreground cursor-pointer text-right">
                        {s.disks} disk(s) of {s.guests.length} guest(s)
                      </summary>
                      <ul>
                        {s.guests.slice(0, GUESTS_SHOWN).map((g) => (
                          <li key={`${g.node}:${g.vmid}`}>
                            {g.vmid} {g.name}
                            {s.isShared ? ` (${g.node})` : ""}: {formatBytes(g.bytes)}
                          </li>
                        ))}
                        {s.guests.length > GUESTS_SHOWN && <li className="text-muted-foreground">and {s.guests.length - GUESTS_SHOWN} smaller</li>}
                      </ul>
                    </details>
                  )}
                </>
              ) : (
                <span className="text-muted-foreground">no guest disks</span>
              )}
            </TableCell>
            <TableCell className="text-right">{s.isCapacityKnown ? formatBytes(s.free) : "—"}</TableCell>
          </TableRow>
        ))}
        {rows.length === 0 && <TableEmpty colSpan={7}>No storage reported.</TableEmpty>}
      </TableBody>
    </Table>
  );
}

const speed = (mbps: number | null) => (mbps === null ? "speed unknown" : mbps >= 1000 ? `${mbps / 1000} Gbit/s` : `${mbps} Mbit/s`);

/** Bonds with their members, and NICs in no bond; Proxmox's API gives no link speed, so it says unknown. */
export function NetworkList({ network, testId }: { network: NetworkCapacity | null; testId: string }) {
  if (!network) return <p className="text-muted-foreground text-sm">NICs not collected in this snapshot.</p>;
  return (
    <ul className="grid gap-1 text-sm" data-testid={testId} aria-label="NICs and bonds">
      {network.bonds.map((b) => (
        <li key={b.name}>
          <span className="font-medium">{b.name}</span> ({b.mode ?? "mode not set"}): {b.members.join(" + ") || "no members"}
          <span className="text-muted-foreground">
            {" "}
            · {b.activeMembers}/{b.members.length} up · {speed(b.speedMbps)}
            {b.bridges.length > 0 && ` · ${b.bridges.join(", ")}`}
          </span>
        </li>
      ))}
      {network.unbondedLinks.map((l) => (
        <li key={l.name}>
          <span className="font-medium">{l.name}</span> (single NIC){" "}
          <span className="text-muted-foreground">
            · {l.isActive ? "up" : "down"} · {speed(l.speedMbps)}
            {l.bridges.length > 0 && ` · ${l.bridges.join(", ")}`}
          </span>
        </li>
      ))}
      {network.links === 0 && <li className="text-muted-foreground">No physical NICs reported.</li>}
      <li className="text-muted-foreground text-xs">
        {network.activeLinks}/{network.links} links up. Link speeds are not in the Proxmox API (/nodes/{"{node}"}/network).
      </li>
    </ul>
  );
}
