import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableEmpty, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { DriftJson } from "@/lib/inventory/report";

type Row = Record<string, unknown>;
interface Section {
  kind: keyof NonNullable<DriftJson["counts"]>;
  title: string;
  columns: Array<[label: string, cell: (r: Row) => string]>;
  isAlarm?: boolean;
}

type Column = Section["columns"][number];
const list = (v: unknown) => (Array.isArray(v) ? v.join(", ") : String(v ?? ""));
/** A column showing one field of the row as text. */
const field = (label: string, key: string): Column => [label, (r) => String(r[key])];
// The columns most kinds share, named once.
const VMID = field("VMID", "vmid");
const NAME = field("Name", "name");
const IP = field("IP", "ip");
const IPAM_MAC = field("IPAM MAC", "ipam_mac");
const SWITCH_PORT: Column[] = [field("Switch", "switch"), field("Port", "interface")];

const SECTIONS: Section[] = [
  { kind: "duplicate_guest_ips", title: "Duplicate guest IPs", isAlarm: true, columns: [IP, ["VMIDs", (r) => list(r.vmids)]] },
  { kind: "guest_ips_not_in_ip_addresses_conf", title: "Guest IPs not in ip-addresses.conf", columns: [VMID, NAME, IP] },
  { kind: "ip_addresses_conf_ips_not_on_guests", title: "ip-addresses.conf IPs on no guest", columns: [field("Key", "key"), IP] },
  {
    kind: "vmid_ip_mismatch",
    title: "VMID/IP mismatch (doc vs live)",
    columns: [VMID, NAME, ["Documented", (r) => list(r.documented)], ["Live", (r) => list(r.live)]],
  },
  { kind: "guests_only_in_doc", title: "Guests only in the doc", columns: [VMID, NAME] },
  { kind: "guests_only_on_cluster", title: "Guests only on the cluster", columns: [VMID, NAME, field("Node", "node")] },
  // IPAM against Proxmox and against the switches.
  {
    kind: "bindings_not_in_ipam",
    title: "Switch bindings for addresses IPAM does not know",
    columns: [...SWITCH_PORT, IP, field("MAC", "mac"), field("VLAN", "vlan")],
  },
  {
    kind: "bindings_on_released_addresses",
    title: "Switch bindings for addresses IPAM has released",
    isAlarm: true,
    columns: [...SWITCH_PORT, IP, field("MAC", "mac"), field("VLAN", "vlan")],
  },
  {
    kind: "binding_mac_mismatch",
    title: "Switch bindings to another MAC than IPAM's",
    isAlarm: true,
    columns: [...SWITCH_PORT, IP, field("Bound MAC", "bound_mac"), IPAM_MAC],
  },
  { kind: "vmac_ipam_mismatch", title: "VMACs that disagree with IPAM", columns: [IP, field("VMAC", "vmac"), IPAM_MAC] },
  {
    kind: "ipam_vmid_mismatch",
    title: "IPAM owner differs from the live guest",
    columns: [IP, field("IPAM VMID", "ipam_vmid"), ["Live VMIDs", (r) => list(r.live_vmids)]],
  },
  {
    kind: "ipam_addresses_not_on_guests",
    title: "Active IPAM addresses on no guest",
    columns: [IP, VMID, ["Hostname", (r) => String(r.hostname ?? "")]],
  },
  {
    kind: "guest_ips_not_in_ipam",
    title: "Guest addresses not in IPAM (or released there)",
    columns: [VMID, NAME, IP, ["IPAM", (r) => String(r.ipam_status ?? "absent")]],
  },
];

export function DriftSections({ drift }: { drift: DriftJson }) {
  if (!drift.counts) {
    return <p className="text-muted-foreground text-sm">No drift yet: it needs a collected snapshot and an imported declared file or addresses in IPAM.</p>;
  }
  return (
    <div className="grid gap-4">
      {SECTIONS.map((s) => {
        const rows = (drift[s.kind] ?? []) as Row[];
        // The page is given each kind's first rows only (the server cuts long lists); the count is whole.
        const count = drift.counts?.[s.kind] ?? rows.length;
        return (
          <Card key={s.kind} data-testid={`drift-${s.kind}`}>
            <CardHeader>
              <CardTitle className="flex flex-wrap items-center gap-2">
                {s.title} <Badge variant={count === 0 ? "secondary" : s.isAlarm ? "destructive" : "warning"}>{count}</Badge>
                <code className="text-muted-foreground text-xs font-normal break-all">{s.kind}</code>
              </CardTitle>
            </CardHeader>
            <CardContent>
              <Table>
                <TableHeader>
                  <TableRow>
                    {s.columns.map(([label]) => (
                      <TableHead key={label}>{label}</TableHead>
                    ))}
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {rows.length === 0 && <TableEmpty colSpan={s.columns.length}>None.</TableEmpty>}
                  {rows.map((r, i) => (
                    <TableRow key={i}>
                      {s.columns.map(([label, cell]) => (
                        <TableCell key={label} className="font-mono text-xs">
                          {cell(r)}
                        </TableCell>
                      ))}
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
              {count > rows.length && (
                <p className="text-muted-foreground mt-2 text-sm">
                  The first {rows.length} of {count}: drift.json (<code>GET /api/v1/inventory/drift</code>) lists every one.
                </p>
              )}
            </CardContent>
          </Card>
        );
      })}
    </div>
  );
}
